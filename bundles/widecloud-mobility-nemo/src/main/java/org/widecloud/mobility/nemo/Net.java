package org.widecloud.mobility.nemo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;

/**
 * One nemo network as the hosts see it. Everything a host needs is derived from the network id, so every host and
 * the home agent agree without shared state, and a restarted controller finds its devices again: the tunnel
 * {@code nm<8 hex>}, the routing table {@code TABLE_BASE + 24 bits} (range 0x4e000000..0x4effffff, clear of the
 * kernel's 253-255 and of small numbers operators use) and the gateway MAC {@code 02:<5 bytes>} (locally
 * administered; the same on every host, so a guest's neighbour entry stays right after a move).
 */
record Net(String id, String name, Prefix v4, Prefix v6, String bridge, NemoParameters p, String tunnel, long table,
        String mac) {
    static final long TABLE_BASE = 0x4e00_0000L;
    /** Priority of the source rules, before main (32766) like UMIP's. */
    static final int RULE_PREF = 1000;
    /** Marks a bridge this backend created (in its alias), so release removes that one and no other. */
    static final String ALIAS_PREFIX = "widecloud-nemo-";
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    static Net of(NetworkAttachment a) {
        Objects.requireNonNull(a, "network");
        Prefix v4;
        Prefix v6;
        try {
            v4 = Prefix.parse(a.ipv4Prefix());
            v6 = Prefix.parse(a.ipv6Prefix());
        } catch (IllegalArgumentException e) {
            throw new DriverException("network '" + a.networkName() + "': " + e.getMessage(), e);
        }
        if (v4 != null && v4.ipv6() || v6 != null && !v6.ipv6()) {
            throw new DriverException("network '" + a.networkName() + "': prefixes of the wrong family", null);
        }
        NemoParameters p;
        try {
            p = NemoParameters.parse(a.parameters(), v4, v6, true);
        } catch (RuntimeException e) {
            throw new DriverException("network '" + a.networkName() + "': " + e.getMessage(), e);
        }
        String bridge = a.bridge();
        if (bridge == null || !BRIDGE.matcher(bridge).matches()) {
            throw new DriverException("bridge '" + bridge + "' is not a Linux interface name (1-15 of A-Z a-z 0-9 "
                    + "_ . -)", null);
        }
        byte[] h = sha256(a.networkId());
        HexFormat hex = HexFormat.of();
        String tunnel = "nm" + hex.formatHex(h, 0, 4);
        long table = TABLE_BASE + (((h[4] & 0xffL) << 16) | ((h[5] & 0xffL) << 8) | (h[6] & 0xffL));
        String mac = "02:" + HexFormat.ofDelimiter(":").formatHex(h, 7, 12);
        return new Net(a.networkId(), a.networkName(), v4, v6, bridge, p, tunnel, table, mac);
    }

    /** The prefixes the tunnel carries, IPv6 first. */
    List<Prefix> prefixes() {
        List<Prefix> out = new ArrayList<>(2);
        if (v6 != null) {
            out.add(v6);
        }
        if (v4 != null) {
            out.add(v4);
        }
        return out;
    }

    String alias() {
        return ALIAS_PREFIX + tunnel;
    }

    String tableText() {
        return Long.toString(table);
    }

    private static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(id, "network id")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
