package org.widecloud.mobility.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;

class NetTest {
    static final Map<String, String> P = Map.of("ha.address", "fd00:a::2", "ha.executor", "netns:ha");

    static NetworkAttachment att(String id, String bridge) {
        return new NetworkAttachment(id, "campus", "10.20.0.0/24", "fd00:20::/64", bridge, P, null, null, null, null);
    }

    @Test
    void namesComeFromTheNetworkIdAlone() {
        Net a = Net.of(att("3f2d5c7e-0000-4000-8000-000000000001", "brcampus"));
        Net again = Net.of(att("3f2d5c7e-0000-4000-8000-000000000001", "other"));
        Net b = Net.of(att("3f2d5c7e-0000-4000-8000-000000000002", "brcampus"));
        assertEquals(a.tunnel(), again.tunnel());
        assertEquals(a.table(), again.table());
        assertEquals(a.mac(), again.mac());
        assertNotEquals(a.tunnel(), b.tunnel());
        assertTrue(a.tunnel().matches("nm[0-9a-f]{8}"), a.tunnel());
        assertTrue(a.table() >= 0x4e00_0000L && a.table() <= 0x4eff_ffffL, Long.toString(a.table()));
        assertTrue(a.mac().matches("02(:[0-9a-f]{2}){5}"), a.mac());
        assertEquals("widecloud-nemo-" + a.tunnel(), a.alias());
        assertEquals("fd00:20::/64", a.prefixes().get(0).toString(), "IPv6 first");
    }

    @Test
    void badBridgesAndParametersAreRefusedBeforeAnyCommand() {
        DriverException bridge = assertThrows(DriverException.class, () -> Net.of(att("n1", "br;reboot")));
        assertTrue(bridge.getMessage().startsWith("bridge 'br;reboot'"), bridge.getMessage());
        NetworkAttachment noHa = new NetworkAttachment("n1", "campus", null, "fd00:20::/64", "br0", Map.of(), null,
                null, null, null);
        DriverException ha = assertThrows(DriverException.class, () -> Net.of(noHa));
        assertTrue(ha.getMessage().contains("parameters.ha.address"), ha.getMessage());
    }
}
