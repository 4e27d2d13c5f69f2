package org.widecloud.executor.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.HostExecutor;

/** The full-kernel lab through the SSH executor: its namespaces, the cost of a command, guests and the gap meter. */
class FullKernelLabTest {

    @Test
    void eachNamespaceIsReachedWithItsAddressesAndTheKernelHasWhatTheHostLacks() {
        FullKernelLab lab = FullKernelLab.get();
        for (String ns : List.of(FullKernelLab.HA, FullKernelLab.SITE_A, FullKernelLab.SITE_B, FullKernelLab.CLIENT)) {
            String addrs = lab.run(ns, "ip", "-o", "addr", "show", "dev", "eth0").stdout();
            assertTrue(addrs.contains(FullKernelLab.address6(ns) + "/64"), ns + ": " + addrs);
            assertTrue(addrs.contains(FullKernelLab.address4(ns) + "/24"), ns + ": " + addrs);
            assertEquals(lab.uri() + "?netns=" + ns, lab.endpoint(ns).executor());
        }
        // 802.1Q on the trunk and an ip6ip6 tunnel: the modules this machine's kernel has not.
        HostExecutor siteA = lab.executor(FullKernelLab.SITE_A);
        try {
            lab.run(FullKernelLab.SITE_A, "ip", "link", "add", "link", "eth1", "name", "eth1.4000", "type", "vlan",
                    "id", "4000");
            lab.run(FullKernelLab.SITE_A, "ip", "-6", "tunnel", "add", "wct0", "mode", "ip6ip6", "local",
                    "fd00:1::2", "remote", "fd00:a::77"); // a pair no backend uses
        } finally {
            siteA.run(List.of("ip", "link", "del", "eth1.4000"), FullKernelLab.T);
            siteA.run(List.of("ip", "link", "del", "wct0"), FullKernelLab.T);
        }
    }

    @Test
    void aCommandOverTheReusedSessionCostsMilliseconds() {
        HostExecutor siteA = FullKernelLab.get().executor(FullKernelLab.SITE_A);
        siteA.check(List.of("true"), FullKernelLab.T);
        double trivial = perCommand(siteA, List.of("true"));
        double ip = perCommand(siteA, List.of("ip", "-j", "link", "show", "eth1"));
        System.out.printf(Locale.ROOT, "full-kernel lab, reused SSH session, site-a: %.1f ms per 'true' (ip netns "
                + "exec), %.1f ms per 'ip -j link show' (ip -n)%n", trivial, ip);
        assertTrue(ip < 1000, ip + " ms per command");
    }

    private static double perCommand(HostExecutor x, List<String> argv) {
        int n = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            x.check(argv, FullKernelLab.T);
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    @Test
    void aGuestAnswersOnItsBridgeAndAgainAfterMovingToTheOtherSite() {
        FullKernelLab lab = FullKernelLab.get();
        List<String> sites = List.of(FullKernelLab.SITE_A, FullKernelLab.SITE_B);
        try {
            for (String s : sites) {
                // The same gateway at both sites, as a mobile router gives it.
                lab.executor(s).run(List.of("ip", "link", "del", "wcbrt"), FullKernelLab.T);
                lab.run(s, "ip", "link", "add", "wcbrt", "type", "bridge");
                lab.run(s, "ip", "addr", "add", "192.168.77.1/24", "dev", "wcbrt");
                lab.run(s, "ip", "addr", "add", "fd00:77::1/64", "dev", "wcbrt", "nodad");
                lab.run(s, "ip", "link", "set", "wcbrt", "up");
            }
            try (FullKernelLab.Guest g = lab.guest("wct-g1", FullKernelLab.SITE_A, "wcbrt",
                    List.of("192.168.77.10/24", "fd00:77::10/64"), "192.168.77.1", "fd00:77::1")) {
                assertTrue(g.mac().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), g.mac());
                FullKernelLab.Gap before = lab.gapMeter(FullKernelLab.SITE_A, "fd00:77::10", 1000, 30).stop();
                assertTrue(before.sent() > 0 && before.received() > 0, before.toString());
                g.moveTo(FullKernelLab.SITE_B, "wcbrt");
                assertEquals(FullKernelLab.SITE_B, g.site());
                FullKernelLab.GapMeter m = lab.gapMeter(FullKernelLab.SITE_B, "192.168.77.10", 1000, 30);
                lab.run(FullKernelLab.SITE_B, "ping", "-c", "1", "-W", "2", "fd00:77::10");
                FullKernelLab.Gap after = m.stop();
                assertTrue(after.received() > 0, after.toString());
            }
            assertEquals(1, lab.executor(null).run(List.of("ip", "netns", "pids", "wct-g1"), FullKernelLab.T)
                    .exitCode() == 0 ? 0 : 1, "the guest namespace is gone");
        } finally {
            for (String s : sites) {
                lab.executor(s).run(List.of("ip", "link", "del", "wcbrt"), FullKernelLab.T);
            }
        }
    }
}
