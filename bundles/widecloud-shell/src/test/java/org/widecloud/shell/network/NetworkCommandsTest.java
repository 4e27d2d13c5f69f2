package org.widecloud.shell.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.PageRequest;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun.Result;

class NetworkCommandsTest extends CoreTest {

    NetworkCreate create(String name, String ipv4, String ipv6) {
        NetworkCreate c = new NetworkCreate();
        c.networkService = core.networks;
        c.name = name;
        c.ipv4 = ipv4;
        c.ipv6 = ipv6;
        return c;
    }

    @Test
    void createListShowUpdateDelete() throws Exception {
        NetworkCreate c = create("lan", "10.1.0.0/24", "2001:db8:1::/64");
        c.bridge = "br0";
        Result created = run(c);
        assertNull(created.error(), created.error());
        Network lan = core.networks.get("lan");
        assertEquals("10.1.0.0/24", lan.ipv4Prefix());
        assertEquals("2001:db8:1::/64", detail(created.out(), "IPv6 prefix"), created.out());

        NetworkList l = new NetworkList();
        l.networkService = core.networks;
        l.setNoFormat(true);
        assertEquals(List.of(List.of(lan.id(), "lan", "10.1.0.0/24", "2001:db8:1::/64", lan.mobility(), "br0")),
                rows(run(l).out()));

        NetworkUpdate u = new NetworkUpdate();
        u.networkService = core.networks;
        u.network = lan.id();
        u.bridge = "br1";
        assertEquals("br1", detail(run(u).out(), "Bridge"));

        NetworkShow s = new NetworkShow();
        s.networkService = core.networks;
        s.network = "lan";
        assertEquals("br1", detail(run(s).out(), "Bridge"));

        NetworkDelete d = new NetworkDelete();
        d.networkService = core.networks;
        d.network = "lan";
        assertEquals("Network lan deleted" + System.lineSeparator(), run(d).out());
        assertEquals(0, core.networks.list(PageRequest.all()).total());
    }

    @Test
    void badPrefixAndBadParametersNameTheField() throws Exception {
        Result bad = run(create("lan", "10.1.0.0/99", null));
        assertTrue(bad.error().startsWith("Error: ipv4Prefix: "), bad.error());

        NetworkCreate p = create("lan", null, null);
        p.params = List.of("novalue");
        assertEquals("Error: param: expected key=value, got 'novalue'", run(p).error());
        assertEquals(0, core.networks.list(PageRequest.all()).total());
    }

    @Test
    void anUnknownMobilityBackendIsAClearError() throws Exception {
        NetworkCreate c = create("wan", "10.2.0.0/24", null);
        c.mobility = "nemo";
        assertEquals("Error: no mobility driver 'nemo' installed", run(c).error());
    }
}
