package org.widecloud.mobility.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MobilityBackend;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;
import org.widecloud.executor.HostExecutorsService;

/** What the backend refuses before it runs anything on a host. */
class VxlanBackendTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final VxlanBackend backend = new VxlanBackend(new HostExecutorsService(null, null, true, T, T), null);

    private static NetworkAttachment att(String bridge, String mac) {
        return new NetworkAttachment("n1", "web", "10.0.0.0/24", null, bridge, Map.of("vni", "7"), "vm-1", mac,
                "10.0.0.5", null);
    }

    private static HostEndpoint host(String address, String executor) {
        return new HostEndpoint("h1", "kvm-a1", "qemu:///system", address, executor);
    }

    @Test
    void aHostWithoutAnUnderlayAddressIsNamed() {
        DriverException e = assertThrows(DriverException.class,
                () -> backend.attach(att("br1", "52:54:00:00:00:01"), host(null, "netns:wcvx-none")));
        assertTrue(e.getMessage().startsWith("host 'kvm-a1': address 'null' is not an IP address"), e.getMessage());
        DriverException name = assertThrows(DriverException.class,
                () -> backend.attach(att("br1", "52:54:00:00:00:01"), host("kvm-a1.example", "netns:wcvx-none")));
        assertTrue(name.getMessage().contains("is not an IP address"), name.getMessage());
    }

    @Test
    void badBridgesMacsAndParametersAreRefused() {
        HostEndpoint h = host("10.0.0.1", "netns:wcvx-none");
        DriverException bridge = assertThrows(DriverException.class,
                () -> backend.attach(att("bridge-name-too-long", "52:54:00:00:00:01"), h));
        assertTrue(bridge.getMessage().startsWith("bridge 'bridge-name-too-long'"), bridge.getMessage());
        assertThrows(DriverException.class, () -> backend.attach(att("br;rm", null), h));
        DriverException mac = assertThrows(DriverException.class,
                () -> backend.commit(att("br1", "52:54:00:00:00"), h, h));
        assertTrue(mac.getMessage().startsWith("mac '52:54:00:00:00'"), mac.getMessage());
        NetworkAttachment noVni = new NetworkAttachment("n1", "web", null, null, "br1", Map.of(), "vm-1", null, null,
                null);
        DriverException vni = assertThrows(DriverException.class, () -> backend.attach(noVni, h));
        assertTrue(vni.getMessage().startsWith("parameter 'vni'"), vni.getMessage());
    }

    @Test
    void withoutCoreItCannotSeeHostsAndSaysEverySiteIsReachable() {
        assertEquals("vxlan", backend.type());
        assertEquals(MobilityBackend.TYPE_PROPERTY, "mobility");
        assertTrue(backend.canExtendTo(att("br1", null), "any-site"));
    }
}
