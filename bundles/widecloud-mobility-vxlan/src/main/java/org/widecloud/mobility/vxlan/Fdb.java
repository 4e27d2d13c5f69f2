package org.widecloud.mobility.vxlan;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The remote entries of a VXLAN device's forwarding table as {@code bridge fdb show dev vxN} prints them:
 * {@code 00:00:00:00:00:00 dst A} floods to VTEP A, {@code MAC dst A} sends MAC to A. Entries without
 * {@code dst} (the bridge's learned ones) are not ours.
 */
record Fdb(Set<String> flood, Map<String, String> macs) {
    static final String ALL_ZERO = "00:00:00:00:00:00";

    static Fdb parse(String output) {
        Set<String> flood = new LinkedHashSet<>();
        Map<String, String> macs = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length < 3) {
                continue;
            }
            String dst = null;
            for (int i = 1; i + 1 < w.length; i++) {
                if ("dst".equals(w[i])) {
                    dst = Addresses.canonical(w[i + 1]);
                }
            }
            if (dst == null) {
                continue;
            }
            String mac = w[0].toLowerCase(Locale.ROOT);
            if (ALL_ZERO.equals(mac)) {
                flood.add(dst);
            } else {
                macs.put(mac, dst);
            }
        }
        return new Fdb(flood, macs);
    }
}
