package org.widecloud.mobility.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FdbTest {

    @Test
    void readsFloodAndMacEntriesAndSkipsLearnedOnes() {
        Fdb fdb = Fdb.parse(String.join("\n", List.of(
                "9a:1b:2c:3d:4e:5f master wcvxbr permanent",
                "52:54:00:AA:00:10 master wcvxbr",
                "00:00:00:00:00:00 dst 10.211.0.2 self permanent",
                "00:00:00:00:00:00 dst 2001:db8::3 self permanent",
                "52:54:00:aa:00:10 dst 10.211.0.1 self permanent", "")));
        assertEquals(Set.of("10.211.0.2", "2001:db8:0:0:0:0:0:3"), fdb.flood());
        assertEquals(Map.of("52:54:00:aa:00:10", "10.211.0.1"), fdb.macs());
    }

    @Test
    void addressesAreLiteralsOnly() {
        assertEquals("10.0.0.1", Addresses.canonical(" 10.0.0.1 "));
        assertEquals("2001:db8:0:0:0:0:0:1", Addresses.canonical("2001:DB8::1"));
        assertEquals(null, Addresses.canonical("example.org"));
        assertEquals(null, Addresses.canonical("-x"));
    }
}
