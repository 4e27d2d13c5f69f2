package org.widecloud.mobility.nemo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts of one link from {@code ip -d -j link show dev X}: its kind, alias, MTU and, for an ip6tnl, its ends
 * and mode. The JSON is flat enough for exact-key patterns; no JSON library is needed in the bundle.
 */
record Link(String name, String kind, String alias, int mtu, String local, String remote, String mode, boolean up) {

    static Link parse(String json) {
        return new Link(string(json, "ifname"), string(json, "info_kind"), string(json, "ifalias"),
                number(json, "mtu"), canonical(string(json, "local")), canonical(string(json, "remote")),
                string(json, "proto"), json.matches("(?s).*\"flags\":\\[[^\\]]*\"UP\".*"));
    }

    boolean ip6tnl() {
        return "ip6tnl".equals(kind);
    }

    private static String canonical(String address) {
        String c = Prefix.ipv6(address);
        return c != null ? c : address;
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static int number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
