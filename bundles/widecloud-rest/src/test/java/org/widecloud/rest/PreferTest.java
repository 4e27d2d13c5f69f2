package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class PreferTest {
    private static OptionalInt w(String... headers) {
        return Prefer.waitSeconds(Arrays.asList(headers));
    }

    @Test
    void readsWait() {
        assertEquals(OptionalInt.of(5), w("wait=5"));
        assertEquals(OptionalInt.of(5), w("respond-async, wait=5"));
        assertEquals(OptionalInt.of(5), w("return=minimal", "WAIT = \"5\" ; x=y"));
        assertEquals(OptionalInt.of(0), w("wait=0"));
    }

    @Test
    void capsAtSixtySeconds() {
        assertEquals(OptionalInt.of(60), w("wait=3600"));
        assertEquals(OptionalInt.of(60), w("wait=999999999"));
    }

    @Test
    void ignoresWhatItCannotUnderstand() {
        assertEquals(OptionalInt.empty(), Prefer.waitSeconds(null));
        assertEquals(OptionalInt.empty(), Prefer.waitSeconds(List.of()));
        assertEquals(OptionalInt.empty(), w("respond-async"));
        assertEquals(OptionalInt.empty(), w("wait=-1"));
        assertEquals(OptionalInt.empty(), w("wait=abc"));
        assertEquals(OptionalInt.empty(), w("wait="));
        assertEquals(OptionalInt.empty(), w("wait=99999999999999"));
        assertEquals(OptionalInt.empty(), w("waiting=5"));
    }
}
