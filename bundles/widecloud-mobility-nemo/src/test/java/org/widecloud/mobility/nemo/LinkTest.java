package org.widecloud.mobility.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Outputs of {@code ip -d -j link show} as Debian 12's iproute2 prints them on Linux 6.1 (the full-kernel lab). */
class LinkTest {
    static final String IP6TNL = "[{\"ifindex\":6,\"link\":null,\"ifname\":\"nmtest\",\"flags\":[\"POINTOPOINT\","
            + "\"NOARP\",\"UP\",\"LOWER_UP\"],\"mtu\":1400,\"qdisc\":\"noqueue\",\"operstate\":\"UNKNOWN\","
            + "\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"tunnel6\","
            + "\"address\":\"fd00:77::1\",\"link_pointtopoint\":true,\"broadcast\":\"fd00:77::2\",\"permaddr\":"
            + "\"5e72:7cfc:dd8a::\",\"promiscuity\":0,\"allmulti\":0,\"min_mtu\":68,\"max_mtu\":65535,\"linkinfo\":"
            + "{\"info_kind\":\"ip6tnl\",\"info_data\":{\"proto\":\"any\",\"remote\":\"fd00:77::2\",\"local\":"
            + "\"fd00:77::1\",\"ttl\":64,\"encap_limit\":4,\"tclass\":\"0x00\",\"flowlabel\":\"0x00000\"}},"
            + "\"inet6_addr_gen_mode\":\"eui64\",\"num_tx_queues\":1,\"num_rx_queues\":1,\"gso_max_size\":65536}]";
    static final String BRIDGE = "[{\"ifindex\":2,\"ifname\":\"br0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\","
            + "\"MULTICAST\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"address\":\"02:11:22:33:44:55\",\"min_mtu\":68,"
            + "\"max_mtu\":65535,\"linkinfo\":{\"info_kind\":\"bridge\",\"info_data\":{\"forward_delay\":1500}},"
            + "\"ifalias\":\"widecloud-nemo-x\"}]";

    @Test
    void readsTheTunnelsEndsModeAndMtu() {
        Link l = Link.parse(IP6TNL);
        assertEquals(new Link("nmtest", "ip6tnl", null, 1400, "fd00:77::1", "fd00:77::2", "any", true), l);
        assertTrue(l.ip6tnl());
    }

    @Test
    void readsABridgesAliasAndState() {
        Link l = Link.parse(BRIDGE);
        assertEquals("bridge", l.kind());
        assertEquals("widecloud-nemo-x", l.alias());
        assertEquals(1500, l.mtu());
        assertFalse(l.up());
        assertFalse(l.ip6tnl());
        assertNull(l.remote());
    }
}
