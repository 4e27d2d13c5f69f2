package org.widecloud.mobility.nemo;

/**
 * The home agent's side of a network: one ip6tnl ({@code local} = ha.address, {@code remote} = the current care-of
 * address) and a route for each mobile network prefix into it.
 */
final class HomeAgent {
    private final Commands on;
    private final Net net;

    HomeAgent(Commands on, Net net) {
        this.on = on;
        this.net = net;
    }

    /** Tunnel to {@code careOf} (bound since {@code since}) and the prefix routes, whatever was there; idempotent. */
    void ensure(String careOf, java.time.Instant since) {
        Forwarding.ensure(on, net);
        Tunnel.ensure(on, net, net.p().haAddress(), careOf, since);
        for (Prefix p : net.prefixes()) {
            on.check("ip", family(p), "route", "replace", p.toString(), "dev", net.tunnel());
        }
    }

    /** The binding update: one command. False when it failed (e.g. the tunnel is gone): then {@link #ensure}. */
    boolean bind(String careOf, java.time.Instant since) {
        return on.run(Tunnel.pointAt(net, careOf, since)).exitCode() == 0;
    }

    /** The tunnel now, null when there is none. */
    Link tunnel() {
        return on.link(net.tunnel());
    }

    /** The JSON of the routes through the tunnel for one family ({@code []} when there is no tunnel). */
    String routes(Prefix p) {
        var r = on.run("ip", family(p), "-j", "route", "show", "dev", net.tunnel());
        return r.exitCode() == 0 ? r.stdout() : "[]";
    }

    /** Deregistration: the tunnel goes, and its routes with it. */
    void remove() {
        on.ensure("ip", "link", "del", "dev", net.tunnel());
    }

    static String family(Prefix p) {
        return p.ipv6() ? "-6" : "-4";
    }
}
