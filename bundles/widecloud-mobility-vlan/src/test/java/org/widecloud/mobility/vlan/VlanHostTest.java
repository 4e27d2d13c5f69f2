package org.widecloud.mobility.vlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The command vectors and the reading of {@code ip -d -j link show} (output captured in the full-kernel lab). */
class VlanHostTest {
    /** site-a with eth1.7 (ours) in brx, a VM port in brx, and eth0 (a veth whose peer is elsewhere: link null). */
    static final String LINKS = """
            [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"operstate":"UNKNOWN"},\
            {"ifindex":5,"link_index":6,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],\
            "link_netnsid":0,"linkinfo":{"info_kind":"veth"}},\
            {"ifindex":6,"link":null,"ifname":"eth1","flags":["BROADCAST","MULTICAST"],"operstate":"DOWN",\
            "linkinfo":{"info_kind":"veth"}},\
            {"ifindex":11,"ifname":"brx","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],\
            "ifalias":"widecloud-vlan-7",\
            "linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"stp_state":0,"vlan_filtering":0,\
            "group_addr":"01:80:c2:00:00:00","multi_boolopt":{"no_linklocal_learn":false}}}},\
            {"ifindex":12,"link":"eth1","ifname":"eth1.7","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],\
            "master":"brx","operstate":"UP","ifalias":"widecloud-vlan-7","linkinfo":{"info_kind":"vlan",\
            "info_data":{"protocol":"802.1Q","id":7,"flags":["REORDER_HDR"]},"info_slave_kind":"bridge",\
            "info_slave_data":{"state":"forwarding","priority":32,"cost":2}}},\
            {"ifindex":13,"ifname":"g-vm1","master":"brx","flags":["UP"],"address":"a2:c0:bd:c8:1d:b0 \\"x\\u0041\\""}]
            """;

    @Test
    void linksAreReadByName() {
        Links l = Links.parse(LINKS);
        assertEquals("vlan", Links.kind(l.get("eth1.7")));
        assertEquals(7, Links.vlanId(l.get("eth1.7")));
        assertEquals("bridge", Links.kind(l.get("brx")));
        assertNull(Links.vlanId(l.get("brx")));
        assertNull(Links.kind(l.get("lo")));
        assertTrue(Links.isUp(l.get("eth0")));
        assertEquals(false, Links.isUp(l.get("eth1")));
        assertEquals(List.of("eth1.7", "g-vm1"), l.portsOf("brx"));
        assertEquals(List.of(), l.portsOf("eth1"));
        assertEquals("a2:c0:bd:c8:1d:b0 \"xA\"", l.get("g-vm1").get("address"));
        assertNull(l.get("eth1").get("link"));
        assertEquals(List.of(), Json.links(" "));
    }

    @Test
    void malformedOutputIsAnError() {
        for (String bad : List.of("{", "[{\"a\":}]", "[1,]x", "[\"open", "{}")) {
            assertThrows(IllegalArgumentException.class, () -> Json.links(bad), bad);
        }
        assertEquals(Map.of("a", List.of(1.0, true, false)), Json.parse("{\"a\":[1,true,false]}"));
    }

    @Test
    void commandsAreArgumentVectors() {
        assertEquals(List.of("ip", "link", "add", "name", "br7", "up", "type", "bridge"), VlanHost.addBridge("br7"));
        assertEquals(List.of("ip", "link", "add", "link", "eth1", "name", "eth1.7", "master", "br7", "up", "type",
                "vlan", "id", "7"), VlanHost.addVlan("eth1", "eth1.7", 7, "br7"));
        assertEquals(List.of("ip", "link", "set", "dev", "br7", "alias", "widecloud-vlan-7"),
                VlanHost.setAlias("br7", "widecloud-vlan-7"));
        assertEquals(List.of("ip", "link", "set", "dev", "eth1.7", "master", "br7"),
                VlanHost.setMaster("eth1.7", "br7"));
        assertEquals(List.of("ip", "link", "set", "dev", "eth1", "up"), VlanHost.setUp("eth1"));
        assertEquals(List.of("ip", "link", "del", "dev", "eth1.7"), VlanHost.delete("eth1.7"));
    }
}
