package org.widecloud.mobility.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;

class VxlanParametersTest {

    @Test
    void defaultsAndLimits() {
        assertEquals(new VxlanParameters(42, 4789, null, java.util.Set.of()), VxlanParameters.parse(Map.of("vni", "42")));
        assertEquals(new VxlanParameters(16_777_215, 8472, 1450, java.util.Set.of("10.0.1.2", Addresses.canonical("fd00:1::2"))),
                VxlanParameters.parse(Map.of("vni", "16777215", "port", "8472", "mtu", "1450", "home",
                        "10.0.1.2, fd00:1:0::2")));
        assertEquals("vx16777215", VxlanParameters.parse(Map.of("vni", "16777215")).device());
    }

    @Test
    void theWrongParameterIsNamed() {
        wrong(Map.of(), "vni", "required");
        wrong(Map.of("vni", "0"), "vni", "1..16777215");
        wrong(Map.of("vni", "16777216"), "vni", "1..16777215");
        wrong(Map.of("vni", "4x"), "vni", "'4x'");
        wrong(Map.of("vni", "7", "port", "70000"), "port", "1..65535");
        wrong(Map.of("vni", "7", "mtu", "-1"), "mtu", "68..65535");
        wrong(Map.of("vni", "7", "group", "239.1.1.1"), "group", "multicast is not supported");
        wrong(Map.of("vni", "7", "ttl", "5"), "ttl", "unknown parameter");
        wrong(Map.of("vni", "7", "home", "site-a"), "home", "not an IPv4 or IPv6 address");
    }

    private static void wrong(Map<String, String> p, String key, String text) {
        DriverException e = assertThrows(DriverException.class, () -> new VxlanBackendStub().validate(p));
        assertTrue(e.getMessage().startsWith("parameter '" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    /** validate needs no host and no executor. */
    private static final class VxlanBackendStub extends VxlanBackend {
        VxlanBackendStub() {
            super(h -> {
                throw new AssertionError("validate must not reach a host");
            }, null);
        }
    }
}
