package org.widecloud.mobility.nemo;

/** The network's ip6tnl on one machine: made, fixed or left as it is, so that every step can be repeated. */
final class Tunnel {
    private Tunnel() {
    }

    /**
     * Makes {@code net.tunnel()} an ip6tnl from {@code local} to {@code remote} in the network's mode and MTU, up.
     * A device of that name with another kind, local end or mode is replaced; a wrong remote alone is changed in
     * place (no flap).
     */
    static void ensure(Commands on, Net net, String local, String remote) {
        ensure(on, net, local, remote, null);
    }

    /**
     * As {@link #ensure(Commands, Net, String, String)}; at the home agent {@code since} (when the binding to
     * {@code remote} began) is kept in the tunnel's alias, so that a restarted controller can say since when a
     * prefix is bound.
     */
    static void ensure(Commands on, Net net, String local, String remote, java.time.Instant since) {
        Link l = on.link(net.tunnel());
        String mode = net.p().mode().word();
        if (l != null && !(l.ip6tnl() && local.equals(l.local()) && mode.equals(l.mode()))) {
            on.check("ip", "link", "del", "dev", net.tunnel());
            l = null;
        }
        if (l == null) {
            on.check("ip", "link", "add", "name", net.tunnel(), "type", "ip6tnl", "mode", mode, "local", local,
                    "remote", remote);
        } else if (!remote.equals(l.remote())) {
            on.check(pointAt(net, remote, since));
            l = on.link(net.tunnel());
        }
        String alias = since == null ? null : alias(since);
        if (l == null || l.mtu() != net.p().mtu() || !l.up() || (alias != null && !alias.equals(l.alias()))) {
            java.util.List<String> set = new java.util.ArrayList<>(java.util.List.of("ip", "link", "set", "dev",
                    net.tunnel(), "mtu", Integer.toString(net.p().mtu())));
            if (alias != null) {
                set.addAll(java.util.List.of("alias", alias));
            }
            set.add("up");
            on.check(set.toArray(String[]::new));
        }
    }

    private static final String SINCE = "widecloud-nemo since=";

    static String alias(java.time.Instant since) {
        return SINCE + since.getEpochSecond();
    }

    /** The binding's start kept in a home agent tunnel's alias, or null. */
    static java.time.Instant since(Link tunnel) {
        String a = tunnel == null ? null : tunnel.alias();
        if (a == null || !a.startsWith(SINCE) || !a.substring(SINCE.length()).matches("[0-9]{1,12}")) {
            return null;
        }
        return java.time.Instant.ofEpochSecond(Long.parseLong(a.substring(SINCE.length())));
    }

    /**
     * The one command of a binding update: the tunnel's remote becomes {@code remote}. Linux 6.1 recomputes a
     * tunnel's MTU from the route to a new remote (1452 here, both through {@code ip -6 tunnel change} and through
     * netlink), so the MTU goes in the same message: the kernel applies it after the new ends. So does the
     * binding's start ({@code since}, in the alias) at the home agent.
     */
    static String[] pointAt(Net net, String remote, java.time.Instant since) {
        if (since == null) {
            return new String[] {"ip", "link", "change", "dev", net.tunnel(), "mtu", Integer.toString(net.p().mtu()),
                "type", "ip6tnl", "remote", remote};
        }
        return new String[] {"ip", "link", "change", "dev", net.tunnel(), "mtu", Integer.toString(net.p().mtu()),
            "alias", alias(since), "type", "ip6tnl", "remote", remote};
    }
}
