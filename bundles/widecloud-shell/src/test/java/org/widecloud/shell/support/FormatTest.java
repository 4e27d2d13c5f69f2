package org.widecloud.shell.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Page;

class FormatTest {

    @Test
    void totalsSayWhichSliceOfHowMany() {
        assertEquals("Showing 1-3 of 3", Format.totals(new Page<>(List.of("a", "b", "c"), 3, 0, 100)));
        assertEquals("Showing 11-12 of 40", Format.totals(new Page<>(List.of("a", "b"), 40, 10, 2)));
        assertEquals("Showing none of 5 (offset 10)", Format.totals(new Page<>(List.of(), 5, 10, 100)));
        assertEquals("", Format.totals(new Page<>(List.of(), 0, 0, 100)));
    }

    @Test
    void cellsNeverPrintNullAndInstantsToTheSecond() {
        assertEquals(List.of("", "x", "2026-01-02T03:04:05Z", "7"),
                Format.cells(Arrays.asList(null, "x", Instant.parse("2026-01-02T03:04:05.678Z"), 7)));
    }
}
