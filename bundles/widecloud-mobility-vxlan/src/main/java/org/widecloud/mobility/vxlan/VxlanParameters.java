package org.widecloud.mobility.vxlan;

import java.util.Map;
import java.util.Set;

import org.widecloud.api.spi.DriverException;

/**
 * A vxlan network's parameters: {@code vni} (1..16777215, required), {@code port} (UDP, 4789 by default),
 * {@code mtu} (of the VXLAN device, optional), {@code home} (optional: comma-separated underlay addresses of the
 * hosts that always carry the network, because its gateway or other non-VM members live there; the network is
 * extended there as soon as any host carries it and never released there). No {@code group}: there is no
 * multicast underlay between sites; the controller pushes unicast FDB entries instead.
 */
record VxlanParameters(int vni, int port, Integer mtu, Set<String> home) {
    static final int MAX_VNI = 16_777_215;
    private static final Set<String> KNOWN = Set.of("vni", "port", "mtu", "home");

    static VxlanParameters parse(Map<String, String> p) {
        Map<String, String> params = p == null ? Map.of() : p;
        if (params.containsKey("group")) {
            throw wrong("group", "multicast is not supported: the controller pushes unicast FDB entries to every "
                    + "VTEP; remove it");
        }
        for (String key : params.keySet()) {
            if (!KNOWN.contains(key)) {
                throw wrong(key, "unknown parameter (vxlan takes vni, port, mtu, home)");
            }
        }
        if (params.get("vni") == null) {
            throw wrong("vni", "required (1.." + MAX_VNI + ")");
        }
        int vni = number(params, "vni", 1, MAX_VNI);
        int port = params.get("port") == null ? 4789 : number(params, "port", 1, 65535);
        Integer mtu = params.get("mtu") == null ? null : number(params, "mtu", 68, 65535);
        java.util.Set<String> home = new java.util.LinkedHashSet<>();
        if (params.get("home") != null) {
            for (String a : params.get("home").split(",")) {
                String c = Addresses.canonical(a.strip());
                if (c == null) {
                    throw wrong("home", "'" + a.strip() + "' is not an IPv4 or IPv6 address (underlay address of a host)");
                }
                home.add(c);
            }
        }
        return new VxlanParameters(vni, port, mtu, Set.copyOf(home));
    }

    private static int number(Map<String, String> params, String key, int min, int max) {
        String raw = params.get(key).strip();
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw wrong(key, "'" + raw + "' is not a whole number in " + min + ".." + max);
    }

    private static DriverException wrong(String key, String why) {
        return new DriverException("parameter '" + key + "': " + why, null);
    }

    /** {@code vx<vni>}: at most 10 characters, within Linux's 15. */
    String device() {
        return "vx" + vni;
    }
}
