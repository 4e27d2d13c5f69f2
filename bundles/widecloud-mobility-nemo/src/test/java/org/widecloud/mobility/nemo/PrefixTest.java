package org.widecloud.mobility.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrefixTest {

    @Test
    void gatewaysAreTheFirstAddresses() {
        assertEquals("10.20.0.1/24", Prefix.parse("10.20.0.0/24").gatewayCidr());
        assertEquals("fd00:20::1/64", Prefix.parse("fd00:20::/64").gatewayCidr());
        assertEquals("fd00:20::/64", Prefix.parse("fd00:20:0:0:0:0:0:0/64").toString());
        assertEquals("10.20.0.0/24", Prefix.parse("10.20.0.77/24").toString(), "host bits are cleared");
    }

    @Test
    void containsComparesTheNetworkBitsOfTheSameFamily() {
        Prefix p = Prefix.parse("fd00:20::/64");
        assertTrue(p.contains(Prefix.literal("fd00:20::a")));
        assertFalse(p.contains(Prefix.literal("fd00:21::a")));
        assertFalse(p.contains(Prefix.literal("10.20.0.1")));
        assertTrue(Prefix.parse("10.20.0.0/23").contains(Prefix.literal("10.20.1.200")));
    }

    @Test
    void ipv6TextIsCompactAsIproutePrintsIt() {
        assertEquals("fd00:a::2", Prefix.ipv6("FD00:A:0:0:0:0:0:2"));
        assertEquals("::1", Prefix.ipv6("0:0:0:0:0:0:0:1"));
        assertEquals("fd00:20::", Prefix.ipv6("fd00:20::"));
        assertEquals("2001:db8:0:1:1:1:1:1", Prefix.ipv6("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
        assertEquals("2001:0:0:1::1", Prefix.ipv6("2001:0:0:1:0:0:0:1"), "the longest run is compressed");
        assertNull(Prefix.ipv6("10.0.0.1"));
        assertNull(Prefix.ipv6("ha.example.org"));
        assertNull(Prefix.ipv6("-x"));
    }

    @Test
    void badPrefixesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.20.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.20.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("net/24"));
    }
}
