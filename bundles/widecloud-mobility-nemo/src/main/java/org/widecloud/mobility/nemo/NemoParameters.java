package org.widecloud.mobility.nemo;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;

/**
 * A nemo network's parameters. {@code ha.address}: the home agent's IPv6 underlay address, the tunnels' end there
 * (required, outside the mobile prefixes). {@code ha.executor}: how commands run on the home agent (required;
 * {@code local}, {@code netns:NAME}, {@code ssh://...}). {@code lifetime}: binding lifetime in seconds (3600,
 * 60..86400). {@code tunnel.mode}: {@code any} (one ip6tnl carrying IPv6 and IPv4), {@code ip6ip6} (IPv6 prefix only)
 * or {@code ipip6} (IPv4 prefix only). {@code mtu}: of the tunnels (1400, 1280..9000).
 */
record NemoParameters(String haAddress, String haExecutor, int lifetime, Mode mode, int mtu) {
    static final int DEFAULT_LIFETIME = 3600;
    static final int DEFAULT_MTU = 1400;
    private static final Set<String> KNOWN = Set.of("ha.address", "ha.executor", "lifetime", "tunnel.mode", "mtu");
    private static final Pattern EXECUTOR = Pattern.compile("local|netns:[A-Za-z0-9_.-]{1,64}|ssh(\\+[a-z]+)?://\\S+");

    /** The ip6tnl modes (iproute2's words): which inner families one tunnel carries. */
    enum Mode {
        ANY(true, true), IP6IP6(true, false), IPIP6(false, true);

        final boolean v6;
        final boolean v4;

        Mode(boolean v6, boolean v4) {
            this.v6 = v6;
            this.v4 = v4;
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the parameters against the network's prefixes (either may be null; null for both: not checked). */
    static NemoParameters parse(Map<String, String> params, Prefix v4, Prefix v6, boolean prefixesKnown) {
        Map<String, String> p = params == null ? Map.of() : params;
        for (String key : p.keySet()) {
            if (!KNOWN.contains(key)) {
                throw wrong(key, "unknown parameter (nemo takes ha.address, ha.executor, lifetime, tunnel.mode, mtu)");
            }
        }
        String raw = p.get("ha.address");
        if (raw == null || raw.isBlank()) {
            throw wrong("ha.address", "required: the home agent's IPv6 underlay address");
        }
        String ha = Prefix.ipv6(raw);
        if (ha == null) {
            throw wrong("ha.address", "'" + raw.strip() + "' is not an IPv6 address (the tunnels run over IPv6)");
        }
        InetAddress haAddress = Prefix.literal(ha);
        if (haAddress.isLoopbackAddress() || haAddress.isAnyLocalAddress() || haAddress.isMulticastAddress()
                || haAddress.isLinkLocalAddress()) {
            throw wrong("ha.address", raw.strip() + " cannot be a tunnel end (loopback, unspecified, multicast or "
                    + "link-local)");
        }
        if (v6 != null && v6.contains(haAddress)) {
            throw wrong("ha.address", raw.strip() + " lies inside the mobile network prefix " + v6
                    + ": the home agent must be reachable outside it");
        }
        String executor = p.get("ha.executor");
        if (executor == null || executor.isBlank()) {
            throw wrong("ha.executor", "required: how commands run on the home agent (local, netns:NAME, "
                    + "ssh://user@host[:port])");
        }
        if (!EXECUTOR.matcher(executor.strip()).matches()) {
            throw wrong("ha.executor", "'" + executor.strip() + "' is not local, netns:NAME or ssh://user@host[:port]");
        }
        int lifetime = number(p, "lifetime", DEFAULT_LIFETIME, 60, 86_400);
        int mtu = number(p, "mtu", DEFAULT_MTU, 1280, 9000);
        Mode mode = mode(p.get("tunnel.mode"));
        if (prefixesKnown) {
            if (v4 == null && v6 == null) {
                throw new ValidationException("ipv6Prefix", "a nemo network needs a mobile network prefix "
                        + "(ipv6Prefix, ipv4Prefix or both)");
            }
            if (v6 != null && !mode.v6) {
                throw wrong("tunnel.mode", mode.word() + " carries IPv4 only, but the network has the IPv6 prefix "
                        + v6 + " (use any)");
            }
            if (v4 != null && !mode.v4) {
                throw wrong("tunnel.mode", mode.word() + " carries IPv6 only, but the network has the IPv4 prefix "
                        + v4 + " (use any)");
            }
        }
        return new NemoParameters(ha, executor.strip(), lifetime, mode, mtu);
    }

    private static Mode mode(String raw) {
        if (raw == null) {
            return Mode.ANY;
        }
        for (Mode m : Mode.values()) {
            if (m.word().equals(raw.strip())) {
                return m;
            }
        }
        throw wrong("tunnel.mode", "'" + raw.strip() + "' is not any, ip6ip6 or ipip6");
    }

    private static int number(Map<String, String> p, String key, int dflt, int min, int max) {
        String raw = p.get(key);
        if (raw == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw wrong(key, "'" + raw.strip() + "' is not a whole number in " + min + ".." + max);
    }

    static ValidationException wrong(String key, String why) {
        return new ValidationException("parameters." + key, why);
    }
}
