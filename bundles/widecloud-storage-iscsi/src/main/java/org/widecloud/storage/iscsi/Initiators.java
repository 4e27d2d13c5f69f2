package org.widecloud.storage.iscsi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Whether an address falls under a pool's {@code initiators} (addresses or address/prefix, IPv4 or IPv6). */
final class Initiators {
    private Initiators() {
    }

    static boolean admits(List<String> initiators, String address) {
        byte[] a = literal(address);
        if (a == null) {
            return false;
        }
        for (String entry : initiators) {
            int slash = entry.indexOf('/');
            byte[] net = literal(slash < 0 ? entry : entry.substring(0, slash));
            int bits = slash < 0 ? a.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            if (net != null && net.length == a.length && samePrefix(net, a, bits)) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] x, byte[] y, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((x[i / 8] & mask) != (y[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address's bytes when it is an IP literal; never a name lookup. */
    static byte[] literal(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.strip();
        if (!t.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(t.contains(":") ? "[" + t + "]" : t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
