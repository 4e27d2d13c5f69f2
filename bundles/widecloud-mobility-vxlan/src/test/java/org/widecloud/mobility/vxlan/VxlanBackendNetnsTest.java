package org.widecloud.mobility.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widecloud.mobility.vxlan.Lab.A;
import static org.widecloud.mobility.vxlan.Lab.B;
import static org.widecloud.mobility.vxlan.Lab.C;
import static org.widecloud.mobility.vxlan.Lab.CB;
import static org.widecloud.mobility.vxlan.Lab.CC;
import static org.widecloud.mobility.vxlan.Lab.CB_MAC;
import static org.widecloud.mobility.vxlan.Lab.CC_MAC;
import static org.widecloud.mobility.vxlan.Lab.VM_IP;
import static org.widecloud.mobility.vxlan.Lab.VM_MAC;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;

/** The backend on real Linux VXLAN devices, through the real netns: executor, in namespaces made by {@link Lab}. */
class VxlanBackendNetnsTest {
    static final Map<String, String> PARAMS = Map.of("vni", "4242", "mtu", "1400");
    static final VxlanParameters P = VxlanParameters.parse(PARAMS);
    static final NetworkAttachment VM = att("vm-1", VM_MAC, VM_IP);
    static final NetworkAttachment CLIENT_B = att("vm-2", CB_MAC, "10.212.0.20");
    static final NetworkAttachment CLIENT_C = att("vm-3", CC_MAC, "10.212.0.30");

    private Lab lab;

    static NetworkAttachment att(String vm, String mac, String ip) {
        return new NetworkAttachment("net-1", "overlay", "10.212.0.0/24", null, Lab.BRIDGE, PARAMS, vm, mac, ip, null);
    }

    @BeforeEach
    void up() {
        Lab.needRoot();
        lab = new Lab().up();
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    /** Three hosts carry the network; the VM runs on A; the clients on B and C reach it over VXLAN. */
    private void attachAll(VxlanBackend backend) {
        backend.attach(CLIENT_B, lab.hostB);
        lab.plug(B, "cbport");
        backend.attach(CLIENT_C, lab.hostC);
        lab.plug(C, "ccport");
        backend.attach(VM, lab.hostA);
        backend.attach(VM, lab.hostA); // idempotent: a second attach changes nothing and does not fail
        lab.plug(A, "vport");
    }

    @Test
    void vmKeepsItsAddressAcrossAMigrationAndARollback() {
        VxlanBackend backend = new VxlanBackend(lab.executors, null);
        attachAll(backend);

        String dev = lab.link(A, "vx4242");
        assertNotNull(dev);
        for (String word : List.of("vxlan id 4242", "local 10.211.0.1", "dstport 4789", "nolearning",
                "master wcvxbr", "mtu 1400")) {
            assertTrue(dev.contains(word), word + " in " + dev);
        }
        assertEquals(Set.of("10.211.0.2", "10.211.0.3"), lab.fdb(A, P).flood());
        assertEquals(Set.of("10.211.0.1", "10.211.0.3"), lab.fdb(B, P).flood());
        assertEquals(Set.of("10.211.0.1", "10.211.0.2"), lab.fdb(C, P).flood());
        assertEquals(Map.of(CB_MAC, "10.211.0.2", CC_MAC, "10.211.0.3"), lab.fdb(A, P).macs());
        assertEquals("10.211.0.1", lab.fdb(C, P).macs().get(VM_MAC));
        lab.awaitPing(CB, VM_IP);
        lab.awaitPing(CC, VM_IP);

        backend.prepare(VM, lab.hostA, lab.hostB);
        lab.move("vport", A, B);
        long start = System.nanoTime();
        backend.commit(VM, lab.hostA, lab.hostB);
        System.out.printf("vxlan commit on 3 carriers (netns executor): %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        assertEquals("10.211.0.2", lab.fdb(A, P).macs().get(VM_MAC));
        assertEquals("10.211.0.2", lab.fdb(C, P).macs().get(VM_MAC));
        assertNull(lab.fdb(B, P).macs().get(VM_MAC), "the VM is local on B now");
        Map<String, String> bound = new java.util.HashMap<>();
        backend.bindings(att(null, null, null)).forEach(b -> bound.put(b.key() + "@" + b.location(), b.host()));
        assertEquals(lab.hostB.hostId(), bound.get(VM_MAC + "@10.211.0.2"), "bindings: the VM's MAC is at B's VTEP");
        assertEquals(lab.hostA.hostId(), bound.get("vni 4242@10.211.0.1"), "bindings: A still carries the network");
        lab.assertPings(CC, VM_IP, "first ping from C after the commit");
        lab.assertPings(CB, VM_IP, "first ping from B after the commit");

        // The migration failed late: the VM is back at A, and so is its MAC entry everywhere.
        lab.move("vport", B, A);
        backend.rollback(VM, lab.hostA, lab.hostB);
        assertEquals("10.211.0.1", lab.fdb(B, P).macs().get(VM_MAC));
        assertEquals("10.211.0.1", lab.fdb(C, P).macs().get(VM_MAC));
        assertNull(lab.fdb(A, P).macs().get(VM_MAC));
        lab.assertPings(CC, VM_IP, "ping from C after the rollback");
        lab.assertPings(CB, VM_IP, "ping from B after the rollback");

        releaseAllAndCheckNothingIsLeft(backend);
        backend.release(VM, lab.hostA); // again, on a host that no longer carries it: nothing to do, no error
    }

    /** A migration to a host that did not carry the network fails: rollback takes away what prepare made there. */
    @Test
    void rollbackOfAMigrationToANewHostRemovesWhatPrepareMadeThere() {
        VxlanBackend backend = new VxlanBackend(lab.executors, null);
        backend.attach(CLIENT_B, lab.hostB);
        lab.plug(B, "cbport");
        backend.attach(VM, lab.hostA);
        lab.plug(A, "vport");
        lab.awaitPing(CB, VM_IP);

        backend.prepare(VM, lab.hostA, lab.hostC);
        assertNotNull(lab.link(C, "vx4242"), "prepare made the target a carrier");
        assertEquals(Set.of("10.211.0.1", "10.211.0.2"), lab.fdb(C, P).flood());
        assertEquals(Set.of("10.211.0.2", "10.211.0.3"), lab.fdb(A, P).flood());

        backend.rollback(VM, lab.hostA, lab.hostC);
        assertNull(lab.link(C, "vx4242"));
        assertNull(lab.link(C, Lab.BRIDGE));
        assertEquals(Set.of("10.211.0.2"), lab.fdb(A, P).flood());
        assertEquals(Set.of("10.211.0.1"), lab.fdb(B, P).flood());
        assertEquals("10.211.0.1", lab.fdb(B, P).macs().get(VM_MAC));
        lab.assertPings(CB, VM_IP, "the VM is still reached at the source");
    }

    /** The same over an IPv6 underlay (VTEPs fd00:211::1..3). */
    @Test
    void ipv6UnderlayCarriesTheNetworkAcrossAMigration() {
        lab.close();
        lab = new Lab(true).up();
        VxlanBackend backend = new VxlanBackend(lab.executors, null);
        attachAll(backend);
        assertTrue(lab.link(A, "vx4242").contains("local fd00:211::1"), lab.link(A, "vx4242"));
        lab.awaitPing(CC, VM_IP);
        backend.prepare(VM, lab.hostA, lab.hostB);
        lab.move("vport", A, B);
        backend.commit(VM, lab.hostA, lab.hostB);
        assertEquals("fd00:211:0:0:0:0:0:2", lab.fdb(C, P).macs().get(VM_MAC));
        lab.assertPings(CC, VM_IP, "ping from C after the commit");
        releaseAllAndCheckNothingIsLeft(backend);
    }

    /** A backend that starts with empty memory (controller restart) reads the carriers back from the hosts. */
    @Test
    void afterARestartTheCarriersAreReadBackFromTheHosts() {
        attachAll(new VxlanBackend(lab.executors, null));
        lab.awaitPing(CC, VM_IP);

        TestHosts directory = new TestHosts(lab.hostA, lab.hostB, lab.hostC);
        VxlanBackend restarted = new VxlanBackend(lab.executors, directory);
        restarted.prepare(VM, lab.hostA, lab.hostB);
        lab.move("vport", A, B);
        restarted.commit(VM, lab.hostA, lab.hostB);
        // C was in no call: the backend found it in A's flood list and its executor through HostService.
        assertEquals("10.211.0.2", lab.fdb(C, P).macs().get(VM_MAC));
        lab.assertPings(CC, VM_IP, "ping from C after a commit by the restarted backend");

        assertTrue(restarted.canExtendTo(VM, "site-1"));
        assertFalse(restarted.canExtendTo(VM, "site-without-hosts"));
        releaseAllAndCheckNothingIsLeft(restarted);
    }

    private void releaseAllAndCheckNothingIsLeft(VxlanBackend backend) {
        // Core releases a host when the network's last VM there left: the guests' ports go first.
        String vmHost = lab.link(A, "vport") != null ? A : B;
        lab.unplug(vmHost, "vport");
        backend.release(VM, vmHost.equals(A) ? lab.hostA : lab.hostB);
        lab.unplug(C, "ccport");
        backend.release(CLIENT_C, lab.hostC);
        String other = vmHost.equals(A) ? B : A;
        assertEquals(Set.of(), lab.fdb(other, P).flood(), "flood entries to released hosts are gone");
        lab.unplug(B, "cbport");
        backend.release(CLIENT_B, lab.hostB);
        if (!other.equals(B)) {
            backend.release(VM, lab.hostA);
        }
        for (String h : List.of(A, B, C)) {
            assertNull(lab.link(h, "vx4242"), "vx4242 left on " + h);
            assertNull(lab.link(h, Lab.BRIDGE), "bridge left on " + h);
            assertEquals("", lab.run("ip", "-n", h, "-o", "link", "show", "type", "vxlan").stdout());
        }
    }
}
