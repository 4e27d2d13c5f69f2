package org.widecloud.mobility.nemo;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mobile routers and home agents forward the prefixes' packets: the backend turns forwarding on for the families the
 * network uses when it is off (logged: with IPv6 forwarding on, Linux ignores router advertisements on interfaces
 * with accept_ra=1, so a host whose underlay address comes from SLAAC needs accept_ra=2 there).
 */
final class Forwarding {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    private Forwarding() {
    }

    static void ensure(Commands on, Net net) {
        List<String> keys = new ArrayList<>();
        if (net.v6() != null) {
            keys.add("net.ipv6.conf.all.forwarding");
        }
        if (net.v4() != null) {
            keys.add("net.ipv4.ip_forward");
        }
        List<String> read = new ArrayList<>(List.of("sysctl", "-n"));
        read.addAll(keys);
        String[] values = on.check(read.toArray(String[]::new)).stdout().strip().split("\\s+");
        List<String> set = new ArrayList<>(List.of("sysctl", "-w"));
        for (int i = 0; i < keys.size(); i++) {
            if (i >= values.length || !"1".equals(values[i])) {
                set.add(keys.get(i) + "=1");
            }
        }
        if (set.size() > 2) {
            LOG.warn("nemo: {}: turning on {} for network {}", on, set.subList(2, set.size()), net.name());
            on.check(set.toArray(String[]::new));
        }
    }
}
