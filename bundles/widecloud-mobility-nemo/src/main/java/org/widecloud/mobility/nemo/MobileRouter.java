package org.widecloud.mobility.nemo;

import org.widecloud.api.spi.DriverException;

/**
 * A host's side of a network as its mobile router: the network's bridge with the gateway addresses (first address of
 * each prefix) and the network's fixed MAC, the ip6tnl to the home agent, and UMIP-style policy routing: a table per
 * network with the prefix on the bridge and the default route into the tunnel, and a rule per family
 * {@code from <prefix> lookup <table>}, so that the prefix's traffic is reverse-tunnelled to the home agent.
 */
final class MobileRouter {
    private final Commands on;
    private final Net net;
    private final String careOf;

    MobileRouter(Commands on, Net net, String careOf) {
        this.on = on;
        this.net = net;
        this.careOf = careOf;
    }

    /** Everything present and right; idempotent (a second call changes nothing). */
    void ensure() {
        Forwarding.ensure(on, net);
        Link bridge = on.link(net.bridge());
        if (bridge == null) {
            on.check("ip", "link", "add", "name", net.bridge(), "type", "bridge");
            on.check("ip", "link", "set", "dev", net.bridge(), "alias", net.alias());
        } else if (!"bridge".equals(bridge.kind())) {
            throw new DriverException(on + ": interface " + net.bridge() + " exists and is not a bridge ("
                    + bridge.kind() + ")", null);
        }
        on.check("ip", "link", "set", "dev", net.bridge(), "address", net.mac(), "up");
        for (Prefix p : net.prefixes()) {
            if (p.ipv6()) {
                // nodad: the same gateway address lives on every mobile router; DAD would hold it tentative ~2 s
                on.check("ip", "-6", "addr", "replace", p.gatewayCidr(), "dev", net.bridge(), "nodad");
            } else {
                on.check("ip", "-4", "addr", "replace", p.gatewayCidr(), "dev", net.bridge());
            }
        }
        Tunnel.ensure(on, net, careOf, net.p().haAddress());
        for (Prefix p : net.prefixes()) {
            String f = HomeAgent.family(p);
            on.check("ip", f, "route", "replace", p.toString(), "dev", net.bridge(), "table", net.tableText());
            on.check("ip", f, "route", "replace", "default", "dev", net.tunnel(), "table", net.tableText());
            on.ensure(rule("add", p));
        }
    }

    /** Removes rules, table, tunnel, gateway addresses, and the bridge when this backend made it and it is empty. */
    void remove() {
        for (Prefix p : net.prefixes()) {
            on.ensure(rule("del", p));
            on.ensure("ip", HomeAgent.family(p), "route", "flush", "table", net.tableText());
        }
        on.ensure("ip", "link", "del", "dev", net.tunnel());
        Link bridge = on.link(net.bridge());
        if (bridge == null) {
            return;
        }
        boolean ours = net.alias().equals(bridge.alias());
        if (ours && on.check("ip", "-o", "link", "show", "master", net.bridge()).stdout().isBlank()) {
            on.check("ip", "link", "del", "dev", net.bridge());
            return;
        }
        for (Prefix p : net.prefixes()) {
            on.ensure("ip", HomeAgent.family(p), "addr", "del", p.gatewayCidr(), "dev", net.bridge());
        }
    }

    private String[] rule(String op, Prefix p) {
        return new String[] {"ip", HomeAgent.family(p), "rule", op, "from", p.toString(), "lookup", net.tableText(),
                "pref", Integer.toString(Net.RULE_PREF)};
    }
}
