package org.widecloud.mobility.vlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;

class VlanParametersTest {
    private final TestInventory inventory = new TestInventory().site("s-1", "campus-a").site("s-2", "campus-b")
            .site("s-3", "campus-c");
    /** validate and canExtendTo need no host and no executor. */
    private final VlanBackend backend = new VlanBackend(h -> {
        throw new AssertionError("must not reach a host");
    }, inventory, inventory.sites());

    @Test
    void vidAndUplinksBySiteNameOrId() {
        VlanParameters p = VlanParameters.parse(Map.of("vid", " 4094 ", "uplink.campus-a", "eth1",
                "uplink.s-2", "bond0.7"));
        assertEquals(4094, p.vid());
        assertEquals("eth1", p.uplinkFor("s-1", "campus-a"));
        assertEquals("bond0.7", p.uplinkFor("s-2", "campus-b"));
        assertNull(p.uplinkFor("s-3", "campus-c"));
        assertEquals("eth1.4094", VlanParameters.device("eth1", 4094));
        assertEquals("widecloud-vlan-4094", p.alias());
        assertEquals(1, VlanParameters.parse(Map.of("vid", "1", "uplink.x", "e")).vid());
    }

    @Test
    void theWrongFieldIsNamed() {
        wrong(Map.of("uplink.campus-a", "eth1"), "parameters.vid", "required");
        wrong(Map.of("vid", "0", "uplink.campus-a", "eth1"), "parameters.vid", "1..4094");
        wrong(Map.of("vid", "4095", "uplink.campus-a", "eth1"), "parameters.vid", "'4095'");
        wrong(Map.of("vid", "12a", "uplink.campus-a", "eth1"), "parameters.vid", "'12a'");
        wrong(Map.of("vid", "-5", "uplink.campus-a", "eth1"), "parameters.vid", "1..4094");
        wrong(Map.of("vid", "7"), "parameters.uplink", "at least one uplink");
        wrong(Map.of("vid", "7", "uplink.", "eth1"), "parameters.uplink", "names no site");
        wrong(Map.of("vid", "7", "uplink.a", "eth 1"), "parameters.uplink", "'eth 1' is not an interface name");
        wrong(Map.of("vid", "7", "uplink.a", "-n"), "parameters.uplink", "not an interface name");
        wrong(Map.of("vid", "7", "uplink.a", "a/b"), "parameters.uplink", "not an interface name");
        wrong(Map.of("vid", "7", "uplink.a", ".."), "parameters.uplink", "not an interface name");
        wrong(Map.of("vid", "7", "uplink.a", "x;reboot"), "parameters.uplink", "not an interface name");
        wrong(Map.of("vid", "7", "uplink.a", ""), "parameters.uplink", "not an interface name");
        wrong(Map.of("vid", "4000", "uplink.a", "enp0s31f6abcd"), "parameters.uplink", "'enp0s31f6abcd.4000'");
        wrong(Map.of("vid", "7", "uplink.a", "eth1", "mtu", "1500"), "parameters.mtu", "unknown parameter");
        Map<String, String> nullDevice = new HashMap<>(Map.of("vid", "7"));
        nullDevice.put("uplink.a", null);
        wrong(nullDevice, "parameters.uplink", "'null' is not an interface name");
    }

    @Test
    void onlySitesWithAnUplinkCanCarryTheNetwork() {
        NetworkAttachment n = network(Map.of("vid", "7", "uplink.campus-a", "eth1", "uplink.s-2", "eth2"), "br7");
        assertTrue(backend.canExtendTo(n, "s-1"));
        assertTrue(backend.canExtendTo(n, "s-2"));
        assertEquals(false, backend.canExtendTo(n, "s-3"));
        assertEquals(false, backend.canExtendTo(n, "no-such-site"));
    }

    @Test
    void aHostCoreDoesNotKnowIsADriverErrorNamingIt() {
        NetworkAttachment n = network(Map.of("vid", "7", "uplink.campus-a", "eth1"), "br7");
        DriverException e = assertThrows(DriverException.class, () -> backend.attach(n,
                new org.widecloud.api.spi.HostEndpoint("h-x", "ghost", "test:///default", null, "local")));
        assertTrue(e.getMessage().startsWith("vlan: cannot tell the site of host ghost"), e.getMessage());
        DriverException noCore = assertThrows(DriverException.class, () -> new VlanBackend(h -> null, null, null)
                .release(n, new org.widecloud.api.spi.HostEndpoint("h-x", "ghost", "test:///default", null, "local")));
        assertTrue(noCore.getMessage().contains("HostService is not available"), noCore.getMessage());
    }

    @Test
    void aBridgeThatIsNoInterfaceNameIsRefusedBeforeAnyCommand() {
        DriverException e = assertThrows(DriverException.class, () -> VlanParameters.bridge("br 0; reboot"));
        assertTrue(e.getMessage().startsWith("bridge 'br 0; reboot'"), e.getMessage());
        assertEquals("virbr0", VlanParameters.bridge("virbr0"));
    }

    static NetworkAttachment network(Map<String, String> parameters, String bridge) {
        return new NetworkAttachment("net-1", "lan", "10.50.0.0/24", "fd00:50::/64", bridge, parameters, null, null,
                null, null);
    }

    private void wrong(Map<String, String> p, String field, String text) {
        ValidationException e = assertThrows(ValidationException.class, () -> backend.validate(p));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(400, e.status());
    }
}
