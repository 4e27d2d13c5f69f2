package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class CidrTest {

    @Test
    void parsesAndFormatsBothFamilies() {
        assertEquals("10.1.0.0/24", Cidr.parse("p", "10.1.0.0/24", false).toString());
        assertEquals("2001:db8:1::/64", Cidr.parse("p", "2001:DB8:1:0::/64", true).toString());
    }

    @Test
    void refusesHostBitsAndSaysWhatWasMeant() {
        ValidationException e = assertThrows(ValidationException.class, () -> Cidr.parse("ipv4Prefix", "10.1.0.5/24", false));
        assertTrue(e.getMessage().contains("10.1.0.0/24"), e.getMessage());
    }

    @Test
    void refusesNamesInsteadOfAddressesWithoutLookingThemUp() {
        assertThrows(ValidationException.class, () -> Cidr.parse("p", "localhost/24", false));
        assertThrows(ValidationException.class, () -> Cidr.address("p", "example.org", true));
        assertThrows(ValidationException.class, () -> Cidr.address("p", "300.1.1.1", false));
    }

    @Test
    void allocatesLowestFreeSkippingNetworkGatewayAndBroadcast() {
        Cidr c = Cidr.parse("p", "192.168.7.0/30", false);
        assertEquals("192.168.7.2", c.firstFree(Set.of()));
        assertNull(c.firstFree(Set.of("192.168.7.2")), "a /30 has one address for a VM");
        assertFalse(c.assignable(Cidr.address("a", "192.168.7.3", false)));
        Cidr v6 = Cidr.parse("p", "2001:db8::/64", true);
        assertEquals("2001:db8::3", v6.firstFree(Set.of("2001:db8::2")));
    }

    @Test
    void detectsOverlapOfEitherSize() {
        Cidr a = Cidr.parse("p", "10.0.0.0/16", false);
        assertTrue(a.overlaps(Cidr.parse("p", "10.0.5.0/24", false)));
        assertTrue(Cidr.parse("p", "10.0.5.0/24", false).overlaps(a));
        assertFalse(a.overlaps(Cidr.parse("p", "10.1.0.0/16", false)));
        assertFalse(a.overlaps(Cidr.parse("p", "2001:db8::/64", true)));
    }

    @Test
    void canonicalIpv6FollowsRfc5952() {
        Cidr v6 = Cidr.parse("p", "2001:db8::/64", true);
        assertEquals("2001:db8::a", v6.canonical("ip", "2001:0DB8:0:0:0:0:0:000A"));
        assertEquals("2001:db8:0:1::1", Cidr.parse("p", "2001:db8:0:1::/64", true).canonical("ip", "2001:db8:0:1:0:0:0:1"));
    }
}
