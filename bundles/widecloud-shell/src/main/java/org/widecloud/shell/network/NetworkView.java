package org.widecloud.shell.network;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.widecloud.api.model.Network;
import org.widecloud.shell.support.Details;

final class NetworkView {
    static final List<String> COLUMNS = List.of("ID", "Name", "IPv4 prefix", "IPv6 prefix", "Mobility", "Bridge");

    private NetworkView() {
    }

    static List<Object> row(Network n) {
        return Arrays.asList(n.id(), n.name(), n.ipv4Prefix(), n.ipv6Prefix(), n.mobility(), n.bridge());
    }

    static void print(Network n, PrintStream out) {
        new Details().add("ID", n.id()).add("Name", n.name()).add("IPv4 prefix", n.ipv4Prefix())
                .add("IPv6 prefix", n.ipv6Prefix()).add("Mobility", n.mobility()).add("Bridge", n.bridge())
                .add("Parameters", parameters(n.parameters())).add("Created", n.created())
                .add("Version", n.version()).print(out);
    }

    /** "k=v k=v", or null (no line) when the network has none. */
    private static String parameters(Map<String, String> p) {
        if (p.isEmpty()) {
            return null;
        }
        return new TreeMap<>(p).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
