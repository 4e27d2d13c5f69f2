package org.widecloud.shell.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class KeyValuesTest {

    @Test
    void parsesPairsAndKeepsEqualsInValues() {
        assertEquals(Map.of("vni", "42", "opt", "a=b"), KeyValues.parse("param", List.of("vni=42", "opt=a=b")));
    }

    @Test
    void noneGivenMeansUnchanged() {
        assertNull(KeyValues.parse("param", null));
        assertNull(KeyValues.parse("param", List.of()));
    }

    @Test
    void aValueWithoutKeyNamesTheField() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> KeyValues.parse("param", List.of("=1")));
        assertEquals("param", e.field());
        assertEquals("param: expected key=value, got '=1'", e.getMessage());
    }
}
