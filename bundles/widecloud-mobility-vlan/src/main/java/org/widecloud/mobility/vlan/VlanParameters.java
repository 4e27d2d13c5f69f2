package org.widecloud.mobility.vlan;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;

/**
 * A vlan network's parameters: {@code vid} (1..4094, required) and, per site that has the VLAN trunked,
 * {@code uplink.<site name or id>=<device>}: the host interface that carries the trunk there (at least one). The
 * backend makes {@code <device>.<vid>} on the hosts, so that name must fit Linux's 15 characters too.
 */
record VlanParameters(int vid, Map<String, String> uplinks) {
    static final String UPLINK = "uplink.";
    /**
     * What Linux accepts as an interface name (1-15 characters, no '/', ':' or space), narrowed to characters that
     * need no quoting and cannot be taken for an option.
     */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

    VlanParameters {
        uplinks = Map.copyOf(uplinks);
    }

    static VlanParameters parse(Map<String, String> p) {
        Map<String, String> params = p == null ? Map.of() : p;
        Map<String, String> uplinks = new TreeMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String key = e.getKey();
            if (key.equals("vid")) {
                continue;
            }
            if (!key.startsWith(UPLINK)) {
                throw new ValidationException("parameters." + key, "unknown parameter (vlan takes vid and "
                        + "uplink.<site name or id>)");
            }
            String site = key.substring(UPLINK.length()).strip();
            if (site.isEmpty()) {
                throw new ValidationException("parameters.uplink", "'" + key + "' names no site (uplink.<site name "
                        + "or id>=<device>)");
            }
            uplinks.put(site, e.getValue() == null ? null : e.getValue().strip());
        }
        String raw = params.get("vid");
        if (raw == null || raw.isBlank()) {
            throw new ValidationException("parameters.vid", "required (a VLAN id, 1..4094)");
        }
        int vid;
        try {
            vid = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            vid = -1;
        }
        if (vid < 1 || vid > 4094) {
            throw new ValidationException("parameters.vid", "'" + raw.strip() + "' is not a VLAN id (1..4094; 0 and "
                    + "4095 are reserved)");
        }
        if (uplinks.isEmpty()) {
            throw new ValidationException("parameters.uplink", "at least one uplink.<site name or id>=<device> is "
                    + "required: the sites where VLAN " + vid + " is trunked");
        }
        for (Map.Entry<String, String> u : uplinks.entrySet()) {
            String dev = u.getValue();
            if (dev == null || !IFNAME.matcher(dev).matches() || dev.equals(".") || dev.equals("..")) {
                throw new ValidationException("parameters.uplink", UPLINK + u.getKey() + ": '" + dev + "' is not an "
                        + "interface name (1-15 of A-Z a-z 0-9 _ . -, not starting with '.' or '-')");
            }
            if (device(dev, vid).length() > 15) {
                throw new ValidationException("parameters.uplink", UPLINK + u.getKey() + ": '" + device(dev, vid)
                        + "' (uplink.vid) is longer than Linux's 15 characters for an interface name");
            }
        }
        return new VlanParameters(vid, uplinks);
    }

    /** The uplink of a site, given by its id or its name; null when the VLAN is not trunked there. */
    String uplinkFor(String siteId, String siteName) {
        String byId = siteId == null ? null : uplinks.get(siteId);
        return byId != null ? byId : siteName == null ? null : uplinks.get(siteName);
    }

    /** {@code <uplink>.<vid>}: the VLAN sub-interface on a host. */
    static String device(String uplink, int vid) {
        return uplink + "." + vid;
    }

    /** Marks a device or bridge this backend created, so that release removes it and nothing else. */
    String alias() {
        return "widecloud-vlan-" + vid;
    }

    /** The network's bridge, checked like an uplink (it reaches iproute2 as an argument). */
    static String bridge(String bridge) {
        if (bridge == null || !IFNAME.matcher(bridge).matches()) {
            throw new DriverException("bridge '" + bridge + "' is not a Linux interface name (1-15 of A-Z a-z 0-9 _ "
                    + ". -, not starting with '.' or '-')", null);
        }
        return bridge;
    }
}
