package org.widecloud.mobility.vxlan;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;
import org.widecloud.executor.HostExecutorsService;

/**
 * Three "hosts" as network namespaces (wcvx-a/b/c) on an underlay switch (wcvx-u, 10.211.0.0/24), a "VM"
 * (wcvx-vm, a veth whose host end is plugged into a host's bridge) and two clients behind hosts B and C, all on
 * the overlay 10.212.0.0/24. Everything is made here and removed by {@link #close()}; traffic stays inside.
 */
final class Lab implements AutoCloseable {
    static final Duration T = Duration.ofSeconds(10);
    static final String U = "wcvx-u";
    static final String A = "wcvx-a";
    static final String B = "wcvx-b";
    static final String C = "wcvx-c";
    static final String VM = "wcvx-vm";
    static final String CB = "wcvx-cb";
    static final String CC = "wcvx-cc";
    static final List<String> NAMESPACES = List.of(U, A, B, C, VM, CB, CC);
    static final String BRIDGE = "wcvxbr";
    static final String VM_MAC = "52:54:00:0a:00:10";
    static final String CB_MAC = "52:54:00:0a:00:20";
    static final String CC_MAC = "52:54:00:0a:00:30";
    static final String VM_IP = "10.212.0.10";

    final HostExecutorsService executors = new HostExecutorsService(null, null, true, T, T);
    final HostExecutor sh = executors.forUri("local");
    /** Underlay prefix: {@code 10.211.0.} (IPv4) or {@code fd00:211::} (IPv6), host N at prefix + N. */
    final String underlay;
    final HostEndpoint hostA;
    final HostEndpoint hostB;
    final HostEndpoint hostC;

    Lab() {
        this(false);
    }

    Lab(boolean ipv6) {
        underlay = ipv6 ? "fd00:211::" : "10.211.0.";
        hostA = host("host-a", A, underlay + 1);
        hostB = host("host-b", B, underlay + 2);
        hostC = host("host-c", C, underlay + 3);
    }

    static void needRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("needs root for network namespaces (CI=true: this test must run)");
        }
        assumeTrue(root, "needs root for network namespaces, veth, bridge and vxlan devices: skipped");
    }

    private static HostEndpoint host(String id, String ns, String address) {
        return new HostEndpoint(id, ns, "qemu:///system", address, "netns:" + ns);
    }

    Lab up() {
        close();
        for (String ns : NAMESPACES) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ip", "-n", U, "link", "add", "u0", "type", "bridge");
        run("ip", "-n", U, "link", "set", "u0", "up");
        int i = 1;
        for (String h : List.of(A, B, C)) {
            String port = "u" + h.charAt(h.length() - 1);
            run("ip", "link", "add", port, "netns", U, "type", "veth", "peer", "name", "eth0", "netns", h);
            run("ip", "-n", U, "link", "set", port, "master", "u0", "up");
            if (underlay.contains(":")) {
                // nodad: a tentative address cannot be a VXLAN source for the first seconds
                run("ip", "-n", h, "addr", "add", underlay + i++ + "/64", "dev", "eth0", "nodad");
            } else {
                run("ip", "-n", h, "addr", "add", underlay + i++ + "/24", "dev", "eth0");
            }
            run("ip", "-n", h, "link", "set", "eth0", "up");
        }
        guest(VM, A, "vport", VM_MAC, VM_IP);
        guest(CB, B, "cbport", CB_MAC, "10.212.0.20");
        guest(CC, C, "ccport", CC_MAC, "10.212.0.30");
        return this;
    }

    /** A guest namespace with eth0 (mac, ip/24); its other end, {@code port}, waits in the host namespace. */
    private void guest(String ns, String host, String port, String mac, String ip) {
        run("ip", "link", "add", port, "netns", host, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "-n", ns, "link", "set", "eth0", "address", mac);
        run("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
    }

    /** Plugs a guest's port into the network's bridge on its host (what libvirt does with a tap). */
    void plug(String host, String port) {
        run("ip", "-n", host, "link", "set", port, "master", BRIDGE, "up");
    }

    /** The "migration" of the VM's data plane: its port leaves one host's bridge for another's. */
    void move(String port, String from, String to) {
        run("ip", "-n", from, "link", "set", port, "netns", to);
        plug(to, port);
    }

    void unplug(String host, String port) {
        run("ip", "-n", host, "link", "del", port);
    }

    boolean ping(String from, String ip) {
        return sh.run(List.of("ip", "netns", "exec", from, "busybox", "ping", "-c", "1", "-W", "1", ip), T)
                .exitCode() == 0;
    }

    /**
     * The address answers within a few seconds: a moved veth needs a moment to come up in its new bridge, which a
     * single ping right after the move can miss.
     */
    void assertPings(String from, String ip, String what) {
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> ping(from, ip));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": " + ip + " does not answer " + from, e);
        }
    }

    void awaitPing(String from, String ip) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> ping(from, ip));
    }

    Fdb fdb(String host, VxlanParameters p) {
        return Fdb.parse(run("ip", "netns", "exec", host, "bridge", "fdb", "show", "dev", p.device()).stdout());
    }

    String link(String host, String dev) {
        HostExecutor.Result r = sh.run(List.of("ip", "-n", host, "-d", "-o", "link", "show", "dev", dev), T);
        return r.exitCode() == 0 ? r.stdout() : null;
    }

    HostExecutor.Result run(String... argv) {
        return sh.check(new ArrayList<>(List.of(argv)), T);
    }

    @Override
    public void close() {
        for (String ns : NAMESPACES) {
            sh.run(List.of("ip", "netns", "del", ns), T);
        }
        executors.close();
    }
}
