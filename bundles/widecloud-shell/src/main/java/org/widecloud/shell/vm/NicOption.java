package org.widecloud.shell.vm;

import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;

/** Parses {@code --nic NETWORK[,ipv4=ADDR][,ipv6=ADDR][,mac=MAC]}. */
final class NicOption {
    static final String FIELD = "nic";

    private NicOption() {
    }

    static List<Requests.NicRequest> parseAll(List<String> values) {
        List<Requests.NicRequest> nics = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                nics.add(parse(v));
            }
        }
        return nics;
    }

    static Requests.NicRequest parse(String value) {
        String[] parts = value == null ? new String[0] : value.split(",", -1);
        if (parts.length == 0 || parts[0].isBlank() || parts[0].contains("=")) {
            throw new ValidationException(FIELD, "expected NETWORK[,ipv4=ADDR][,ipv6=ADDR][,mac=MAC], got '"
                    + value + "'");
        }
        String ipv4 = null;
        String ipv6 = null;
        String mac = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq).trim();
            String val = eq < 0 ? "" : parts[i].substring(eq + 1).trim();
            if (val.isEmpty()) {
                throw new ValidationException(FIELD, "'" + key + "' needs a value in '" + value + "'");
            }
            switch (key) {
                case "ipv4" -> ipv4 = once(ipv4, key, val, value);
                case "ipv6" -> ipv6 = once(ipv6, key, val, value);
                case "mac" -> mac = once(mac, key, val, value);
                default -> throw new ValidationException(FIELD, "unknown key '" + key + "' in '" + value
                        + "' (expected ipv4, ipv6 or mac)");
            }
        }
        return new Requests.NicRequest(parts[0].trim(), ipv4, ipv6, mac);
    }

    private static String once(String previous, String key, String val, String value) {
        if (previous != null) {
            throw new ValidationException(FIELD, "'" + key + "' given twice in '" + value + "'");
        }
        return val;
    }
}
