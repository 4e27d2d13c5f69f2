package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class BasicAuthFilterTest {
    @Test
    void roleListsFromCfgStringsOrArrays() {
        assertEquals(Set.of("admin", "manager"), BasicAuthFilter.names(new String[] {"admin, manager"}));
        assertEquals(Set.of("admin", "viewer"), BasicAuthFilter.names(new String[] {"admin", " viewer ", ""}));
        assertEquals(Set.of(), BasicAuthFilter.names(new String[] {""}));
        assertEquals(Set.of(), BasicAuthFilter.names(null));
    }
}
