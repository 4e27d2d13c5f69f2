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
            on.check(pointAt(net, remote));
        }
        if (l == null || l.mtu() != net.p().mtu() || !l.up()) {
            on.check("ip", "link", "set", "dev", net.tunnel(), "mtu", Integer.toString(net.p().mtu()), "up");
        }
    }

    /**
     * The one command of a binding update: the tunnel's remote becomes {@code remote}. Linux 6.1 recomputes a
     * tunnel's MTU from the route to a new remote (1452 here, both through {@code ip -6 tunnel change} and through
     * netlink), so the MTU goes in the same message: the kernel applies it after the new ends.
     */
    static String[] pointAt(Net net, String remote) {
        return new String[] {"ip", "link", "change", "dev", net.tunnel(), "mtu", Integer.toString(net.p().mtu()),
                "type", "ip6tnl", "remote", remote};
    }
}
