package org.widecloud.mobility.vlan;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;
import org.widecloud.executor.lab.FullKernelLab;

/**
 * The VLAN backend in the full-kernel lab (802.1Q is missing from this machine's kernel), through the real SSH
 * executor: site-a and site-b are hosts whose eth1 is on the lab's trunk; the client reaches the VLAN on its own
 * eth1.VID. A guest namespace on site-a's bridge moves to site-b's and keeps its addresses.
 */
class VlanBackendLabTest {
    private static final int VID = 3001;
    private static final String BRIDGE = "wcvl" + VID;
    private static final String DEV = "eth1." + VID;
    private static final String GUEST4 = "10.51.0.10";
    private static final String GUEST6 = "fd00:51::10";

    private FullKernelLab lab;
    private VlanBackend backend;
    private HostEndpoint siteA;
    private HostEndpoint siteB;
    private NetworkAttachment net;

    @BeforeEach
    void setUp() {
        lab = FullKernelLab.get();
        siteA = lab.endpoint(FullKernelLab.SITE_A);
        siteB = lab.endpoint(FullKernelLab.SITE_B);
        HostEndpoint ha = lab.endpoint(FullKernelLab.HA);
        // site-a's uplink named by site name, site-b's by site id; the home agent's site has none.
        TestInventory inv = new TestInventory().site("id-a", "site-a").site("id-b", "site-b").site("id-h", "home")
                .host(siteA, "id-a").host(siteB, "id-b").host(ha, "id-h");
        backend = new VlanBackend(lab.executors(), inv, inv.sites());
        net = new NetworkAttachment("net-vlan", "vlan-lab", "10.51.0.0/24", "fd00:51::/64", BRIDGE,
                Map.of("vid", String.valueOf(VID), "uplink.site-a", "eth1", "uplink.id-b", "eth1"), null, null, null,
                null);
        cleanUp();
    }

    @AfterEach
    void cleanUp() {
        for (String ns : List.of(FullKernelLab.SITE_A, FullKernelLab.SITE_B, FullKernelLab.CLIENT)) {
            HostExecutor x = lab.executor(ns);
            x.run(List.of("ip", "link", "del", DEV), FullKernelLab.T);
            x.run(List.of("ip", "link", "del", BRIDGE), FullKernelLab.T);
        }
    }

    @Test
    void aGuestKeepsItsAddressesWhenItMovesToTheOtherSiteOverTheVlan() {
        assertTrue(backend.canExtendTo(net, "id-a") && backend.canExtendTo(net, "id-b"));
        assertFalse(backend.canExtendTo(net, "id-h"));
        backend.attach(net, siteA);
        backend.attach(net, siteA); // idempotent
        assertEquals(List.of("lab site-a: " + DEV + " in " + BRIDGE), describe(backend.bindings(net)));
        clientOnTheVlan();
        try (FullKernelLab.Guest vm = lab.guest("wcvlvm", FullKernelLab.SITE_A, BRIDGE,
                List.of(GUEST4 + "/24", GUEST6 + "/64"), null, null)) {
            awaitReachable(GUEST6);
            awaitReachable(GUEST4);
            FullKernelLab.GapMeter meter = lab.gapMeter(FullKernelLab.CLIENT, GUEST6, 1000, 60);
            long t0 = System.nanoTime();
            backend.prepare(net, siteA, siteB);
            long prepared = System.nanoTime();
            vm.moveTo(FullKernelLab.SITE_B, BRIDGE); // libvirt's part: the tap at the target, QEMU's RARP announce
            long moved = System.nanoTime();
            backend.commit(net, siteA, siteB);
            awaitReachable(GUEST6);
            awaitReachable(GUEST4);
            FullKernelLab.Gap gap = meter.stop();
            System.out.printf(java.util.Locale.ROOT, "vlan handover in the full-kernel lab: prepare %d ms, move + "
                    + "announce %d ms; client -> guest UDP at 1000/s: %s%n", (prepared - t0) / 1_000_000,
                    (moved - prepared) / 1_000_000, gap);
            assertTrue(gap.received() > 0 && gap.lost() < gap.sent(), gap.toString());
            assertEquals(2, backend.bindings(net).size(), "both sites carry the VLAN until the source is released");
            backend.release(net, siteA);
            assertEquals(List.of("lab site-b: " + DEV + " in " + BRIDGE), describe(backend.bindings(net)));
            assertFalse(exists(FullKernelLab.SITE_A, DEV) || exists(FullKernelLab.SITE_A, BRIDGE),
                    "site-a's VLAN device and bridge are gone");
            // The VM still uses site-b's bridge: releasing there (a wrong call) keeps it.
            backend.release(net, siteB);
            assertTrue(exists(FullKernelLab.SITE_B, DEV) && exists(FullKernelLab.SITE_B, BRIDGE));
            awaitReachable(GUEST4);
        }
        backend.release(net, siteB);
        assertEquals(List.of(), backend.bindings(net));
        assertFalse(exists(FullKernelLab.SITE_B, DEV) || exists(FullKernelLab.SITE_B, BRIDGE));
    }

    @Test
    void rollbackRemovesWhatPrepareMadeAndLeavesWhatOthersUse() {
        backend.prepare(net, siteB, siteA);
        assertTrue(exists(FullKernelLab.SITE_A, DEV) && exists(FullKernelLab.SITE_A, BRIDGE));
        backend.rollback(net, siteB, siteA);
        assertFalse(exists(FullKernelLab.SITE_A, DEV) || exists(FullKernelLab.SITE_A, BRIDGE));
        // An operator's own bridge of that name survives release (no widecloud alias), the VLAN device goes.
        lab.run(FullKernelLab.SITE_A, "ip", "link", "add", BRIDGE, "type", "bridge");
        backend.attach(net, siteA);
        Map<String, String> d = backend.bindings(net).get(0).details();
        assertEquals(BRIDGE, d.get("bridge"));
        assertEquals("true", d.get("managed"));
        backend.release(net, siteA);
        assertFalse(exists(FullKernelLab.SITE_A, DEV));
        assertTrue(exists(FullKernelLab.SITE_A, BRIDGE));
    }

    @Test
    void whatCannotCarryTheVlanIsRefusedNamingTheHost() {
        // An interface of the VLAN device's name that is something else.
        lab.run(FullKernelLab.SITE_A, "ip", "link", "add", DEV, "type", "bridge");
        DriverException e = assertThrows(DriverException.class, () -> backend.attach(net, siteA));
        assertTrue(e.getMessage().contains("site-a: interface " + DEV + " exists and is not VLAN " + VID + " on eth1"),
                e.getMessage());
        // A host of a site where the VLAN is not trunked.
        DriverException noUplink = assertThrows(DriverException.class,
                () -> backend.attach(net, lab.endpoint(FullKernelLab.HA)));
        assertTrue(noUplink.getMessage().contains("no uplink for site home"), noUplink.getMessage());
        // An uplink the host does not have.
        NetworkAttachment wrongUplink = new NetworkAttachment("net-x", "x", null, null, BRIDGE,
                Map.of("vid", "3002", "uplink.site-b", "eth9"), null, null, null, null);
        DriverException missing = assertThrows(DriverException.class, () -> backend.attach(wrongUplink, siteB));
        assertTrue(missing.getMessage().contains("site-b: uplink eth9 does not exist"), missing.getMessage());
        assertFalse(exists(FullKernelLab.SITE_B, BRIDGE), "nothing made when the uplink is missing");
    }

    /** The client's side of the trunk joins the VLAN with the network's .100 addresses. */
    private void clientOnTheVlan() {
        lab.run(FullKernelLab.CLIENT, "ip", "link", "add", "link", "eth1", "name", DEV, "up", "type", "vlan", "id",
                String.valueOf(VID));
        lab.run(FullKernelLab.CLIENT, "ip", "addr", "add", "10.51.0.100/24", "dev", DEV);
        lab.run(FullKernelLab.CLIENT, "ip", "addr", "add", "fd00:51::100/64", "dev", DEV, "nodad");
    }

    private void awaitReachable(String address) {
        HostExecutor client = lab.executor(FullKernelLab.CLIENT);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> client.run(
                List.of("ping", "-c", "1", "-W", "1", address), FullKernelLab.T).exitCode() == 0);
    }

    private boolean exists(String ns, String dev) {
        return lab.executor(ns).run(List.of("ip", "link", "show", "dev", dev), FullKernelLab.T).exitCode() == 0;
    }

    private static List<String> describe(List<MobilityBinding> bindings) {
        return bindings.stream().map(b -> "lab " + b.host() + ": " + b.location() + " in " + b.details().get("bridge"))
                .sorted().toList();
    }
}
