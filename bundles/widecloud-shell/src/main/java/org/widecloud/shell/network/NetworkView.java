package org.widecloud.shell.network;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Network;
import org.widecloud.shell.support.Details;
import org.widecloud.shell.support.KeyValues;

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
                .add("Parameters", KeyValues.format(n.parameters())).add("Created", n.created())
                .add("Version", n.version()).print(out);
    }
}
