package org.widecloud.core;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;

/**
 * An IPv4 or IPv6 prefix. Parses only numeric literals (never a DNS lookup) and keeps the address as a
 * number, so containment, overlap and allocation are arithmetic.
 */
public record Cidr(boolean v6, BigInteger network, int length) {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public int bits() {
        return v6 ? 128 : 32;
    }

    /** Parses {@code a.b.c.d/n} or {@code x:y::/n}; host bits must be zero. */
    public static Cidr parse(String field, String text, boolean v6) {
        String t = Names.required(field, text).trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new ValidationException(field, "'" + Names.printable(t) + "' is not a CIDR prefix (address/length)");
        }
        BigInteger address = address(field, t.substring(0, slash), v6);
        int bits = v6 ? 128 : 32;
        int length;
        try {
            length = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "prefix length must be a number");
        }
        int min = v6 ? 16 : 8;
        int max = v6 ? 126 : 30;
        if (length < min || length > max) {
            throw new ValidationException(field, "prefix length must be between " + min + " and " + max);
        }
        BigInteger mask = mask(bits, length);
        if (!address.and(mask.not()).and(all(bits)).equals(BigInteger.ZERO)) {
            Cidr fixed = new Cidr(v6, address.and(mask), length);
            throw new ValidationException(field, "'" + t + "' has host bits set; did you mean " + fixed + "?");
        }
        return new Cidr(v6, address, length);
    }

    /** Parses a single address literal of the given family. */
    public static BigInteger address(String field, String text, boolean v6) {
        String t = Names.required(field, text).trim();
        if (!v6) {
            var m = V4.matcher(t);
            if (!m.matches()) {
                throw new ValidationException(field, "'" + Names.printable(t) + "' is not an IPv4 address");
            }
            long v = 0;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                if (octet > 255) {
                    throw new ValidationException(field, "'" + t + "' is not an IPv4 address");
                }
                v = (v << 8) | octet;
            }
            return BigInteger.valueOf(v);
        }
        if (!V6.matcher(t).matches() || !t.contains(":")) {
            throw new ValidationException(field, "'" + Names.printable(t) + "' is not an IPv6 address");
        }
        try {
            // A literal with ':' is parsed, never resolved.
            byte[] b = InetAddress.getByName(t).getAddress();
            if (b.length != 16) {
                throw new ValidationException(field, "'" + t + "' is not an IPv6 address");
            }
            return new BigInteger(1, b);
        } catch (UnknownHostException e) {
            throw new ValidationException(field, "'" + Names.printable(t) + "' is not an IPv6 address");
        }
    }

    /** Canonical text of an IPv4 or IPv6 literal (the family from its form). */
    public static String canonicalAddress(String field, String text) {
        String t = Names.required(field, text).trim();
        boolean v6 = t.contains(":");
        return new Cidr(v6, BigInteger.ZERO, 0).format(address(field, t, v6));
    }

    public boolean contains(BigInteger address) {
        return address.and(mask(bits(), length)).equals(network);
    }

    public boolean overlaps(Cidr other) {
        if (other.v6 != v6) {
            return false;
        }
        int shorter = Math.min(length, other.length);
        BigInteger m = mask(bits(), shorter);
        return network.and(m).equals(other.network.and(m));
    }

    /** The gateway by convention: the first address after the network address. */
    public BigInteger gateway() {
        return network.add(BigInteger.ONE);
    }

    private BigInteger last() {
        return network.add(BigInteger.ONE.shiftLeft(bits() - length)).subtract(BigInteger.ONE);
    }

    /** Whether a VM may hold this address: inside, not the network, gateway or (IPv4) broadcast address. */
    public boolean assignable(BigInteger address) {
        return contains(address) && !address.equals(network) && !address.equals(gateway())
                && (v6 || !address.equals(last()));
    }

    /** The lowest assignable address not in {@code taken} (canonical text), or null when full. */
    public String firstFree(Set<String> taken) {
        BigInteger end = last();
        int tries = 0;
        for (BigInteger a = gateway().add(BigInteger.ONE); a.compareTo(end) <= 0 && tries < 1_000_000;
                a = a.add(BigInteger.ONE), tries++) {
            String text = format(a);
            if (assignable(a) && !taken.contains(text)) {
                return text;
            }
        }
        return null;
    }

    public String format(BigInteger address) {
        if (!v6) {
            long v = address.longValue();
            return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
        }
        byte[] raw = address.toByteArray();
        byte[] b = new byte[16];
        System.arraycopy(raw, Math.max(0, raw.length - 16), b, Math.max(0, 16 - raw.length), Math.min(16, raw.length));
        return canonical6(b);
    }

    /** RFC 5952 text: lower case, longest run of zero groups (2 or more) as '::'. */
    static String canonical6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 255) << 8) | (b[2 * i + 1] & 255);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8;) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** Canonical text of an address literal of this prefix's family. */
    public String canonical(String field, String text) {
        return format(address(field, text, v6));
    }

    private static BigInteger all(int bits) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    private static BigInteger mask(int bits, int length) {
        return all(bits).xor(all(bits - length));
    }

    @Override
    public String toString() {
        return format(network) + "/" + length;
    }
}
