package org.widecloud.mobility.vxlan;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.widecloud.api.spi.DriverException;

/** VTEP addresses: IP literals only (a name would need DNS on every host), compared in one canonical form. */
final class Addresses {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private Addresses() {
    }

    /** The canonical text of an IP literal (Java's, e.g. {@code 2001:db8:0:0:0:0:0:1}); null when it is none. */
    static String canonical(String literal) {
        if (literal == null) {
            return null;
        }
        String s = literal.strip();
        if (!V4.matcher(s).matches() && !V6.matcher(s).matches()) {
            return null;
        }
        try {
            // a literal: no name lookup happens
            return InetAddress.getByName(s).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String required(String literal, String hostName) {
        String c = canonical(literal);
        if (c == null) {
            throw new DriverException("host '" + hostName + "': address '" + literal + "' is not an IP address; "
                    + "vxlan needs the host's underlay address as its VTEP", null);
        }
        return c;
    }
}
