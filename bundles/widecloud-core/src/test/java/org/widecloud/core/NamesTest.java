package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "a b", "a'b", "a\"b", "a<b", "a&b", "a;b", "$(reboot)", "../etc", "-lead",
            ".hidden", "a/b", "x\ny" })
    void refusesNamesThatCouldEscapeSomewhere(String bad) {
        ValidationException e = assertThrows(ValidationException.class, () -> Names.name("name", bad));
        assertEquals("name", e.field());
        assertTrue(e.getMessage().startsWith("name: "), e.getMessage());
    }

    @Test
    void refusesNamesOver64Characters() {
        assertThrows(ValidationException.class, () -> Names.name("name", "a".repeat(65)));
        assertEquals("a".repeat(64), Names.name("name", "a".repeat(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "web1", "Web-1.prod_a", "0x" })
    void acceptsPlainNames(String good) {
        assertEquals(good, Names.name("name", good));
    }

    @ParameterizedTest
    @ValueSource(strings = { "relative/path", "/a/../b", "/a/./b", "/a//b", "/a,b" })
    void refusesPathsThatEscapeOrConfuse(String bad) {
        assertThrows(ValidationException.class, () -> Names.path("path", bad));
    }

    @Test
    void refusesControlCharactersInText() {
        assertThrows(ValidationException.class, () -> Names.text("cmdline", "console=ttyS0\u0000", 100));
        assertEquals("console=ttyS0 <&'\"", Names.text("cmdline", "console=ttyS0 <&'\"", 100));
    }
}
