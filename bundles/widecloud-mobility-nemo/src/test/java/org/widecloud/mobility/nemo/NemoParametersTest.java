package org.widecloud.mobility.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;
import org.widecloud.mobility.nemo.NemoParameters.Mode;

class NemoParametersTest {
    static final Prefix V4 = Prefix.parse("10.20.0.0/24");
    static final Prefix V6 = Prefix.parse("fd00:20::/64");

    private static Map<String, String> params(String... kv) {
        Map<String, String> p = new HashMap<>(Map.of("ha.address", "fd00:a::2", "ha.executor", "netns:ha"));
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() {
        assertEquals(new NemoParameters("fd00:a::2", "netns:ha", 3600, Mode.ANY, 1400),
                NemoParameters.parse(params(), V4, V6, true));
        assertEquals(new NemoParameters("fd00:a::3", "ssh://root@127.0.0.1:10022?netns=ha", 60, Mode.IP6IP6, 9000),
                NemoParameters.parse(params("ha.address", "FD00:A:0::3", "ha.executor",
                        "ssh://root@127.0.0.1:10022?netns=ha", "lifetime", "60", "tunnel.mode", "ip6ip6", "mtu",
                        "9000"), null, V6, true));
        assertEquals(Mode.IPIP6, NemoParameters.parse(params("tunnel.mode", "ipip6"), V4, null, true).mode());
    }

    @Test
    void theWrongFieldIsNamed() {
        wrong(Map.of("ha.executor", "local"), "parameters.ha.address", "required");
        wrong(params("ha.address", "10.0.10.2"), "parameters.ha.address", "not an IPv6 address");
        wrong(params("ha.address", "ha.example.org"), "parameters.ha.address", "not an IPv6 address");
        wrong(params("ha.address", "fd00:20::53"), "parameters.ha.address", "inside the mobile network prefix");
        wrong(params("ha.address", "::1"), "parameters.ha.address", "loopback");
        wrong(params("ha.address", "fe80::1"), "parameters.ha.address", "link-local");
        wrong(Map.of("ha.address", "fd00:a::2"), "parameters.ha.executor", "required");
        wrong(params("ha.executor", "ftp://ha"), "parameters.ha.executor", "not local, netns:NAME");
        wrong(params("ha.executor", "local; reboot"), "parameters.ha.executor", "not local, netns:NAME");
        wrong(params("lifetime", "59"), "parameters.lifetime", "60..86400");
        wrong(params("lifetime", "86401"), "parameters.lifetime", "60..86400");
        wrong(params("lifetime", "1h"), "parameters.lifetime", "'1h'");
        wrong(params("mtu", "1279"), "parameters.mtu", "1280..9000");
        wrong(params("tunnel.mode", "gre"), "parameters.tunnel.mode", "not any, ip6ip6 or ipip6");
        wrong(params("tunnel.mode", "ip6ip6"), "parameters.tunnel.mode", "IPv4 prefix 10.20.0.0/24");
        wrong(params("ha.port", "7"), "parameters.ha.port", "unknown parameter");
    }

    @Test
    void aModeThatCannotCarryThePrefixesIsRefused() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> NemoParameters.parse(params("tunnel.mode", "ipip6"), null, V6, true));
        assertEquals("parameters.tunnel.mode", e.field());
        assertTrue(e.getMessage().contains("IPv6 prefix fd00:20::/64"), e.getMessage());
    }

    @Test
    void aNetworkWithoutPrefixHasNothingToBind() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> NemoParameters.parse(params(), null, null, true));
        assertEquals("ipv6Prefix", e.field());
        // without the prefixes (the one-argument validate) only the parameters are checked
        NemoParameters.parse(params(), null, null, false);
    }

    private static void wrong(Map<String, String> p, String field, String text) {
        ValidationException e = assertThrows(ValidationException.class, () -> NemoParameters.parse(p, V4, V6, true));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
