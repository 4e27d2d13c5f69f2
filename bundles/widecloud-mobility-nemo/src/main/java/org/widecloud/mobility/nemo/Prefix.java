package org.widecloud.mobility.nemo;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A mobile network prefix (CIDR, as core stores it) and the literal IP addresses compared with it. Only literals are
 * accepted: a name would need DNS on every host.
 */
record Prefix(InetAddress network, int length) {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The prefix of a CIDR text; null for null. */
    static Prefix parse(String cidr) {
        if (cidr == null) {
            return null;
        }
        int slash = cidr.indexOf('/');
        InetAddress a = slash < 0 ? null : literal(cidr.substring(0, slash));
        if (a == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address/length prefix");
        }
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no prefix length", e);
        }
        if (len < 0 || len > bits(a)) {
            throw new IllegalArgumentException("'" + cidr + "': length " + len + " is out of range");
        }
        return new Prefix(a, len);
    }

    /** The address of an IP literal, no name lookup; null when the text is not one. */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (!V4.matcher(s).matches() && !V6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The canonical text of an IPv6 literal (compact, as iproute2 prints it), null when the text is no IPv6 literal. */
    static String ipv6(String text) {
        InetAddress a = literal(text);
        return a instanceof Inet6Address ? text(a) : null;
    }

    boolean ipv6() {
        return network instanceof Inet6Address;
    }

    boolean contains(InetAddress a) {
        if (a == null || a.getClass() != network.getClass()) {
            return false;
        }
        int shift = bits(network) - length;
        return number(a).shiftRight(shift).equals(number(network).shiftRight(shift));
    }

    /** The gateway's address: the first address of the prefix (network + 1), as widecloud reserves it. */
    String gateway() {
        return text(address(base().add(BigInteger.ONE)));
    }

    /** {@code gateway/length}, as {@code ip addr} takes it. */
    String gatewayCidr() {
        return gateway() + "/" + length;
    }

    @Override
    public String toString() {
        return text(address(base())) + "/" + length;
    }

    private BigInteger base() {
        int host = bits(network) - length;
        return number(network).shiftRight(host).shiftLeft(host);
    }

    private InetAddress address(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[network.getAddress().length];
        int k = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - k, out, out.length - k, k);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compact text (RFC 5952: the longest run of two or more zero groups becomes ::) as iproute2 prints it. */
    static String text(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    private static int bits(InetAddress a) {
        return a.getAddress().length * 8;
    }

    private static BigInteger number(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }
}
