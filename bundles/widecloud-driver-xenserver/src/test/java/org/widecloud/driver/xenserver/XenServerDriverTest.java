package org.widecloud.driver.xenserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.spi.DomainEventListener;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.MigrationResult;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.xenserver.sim.SimCerts;
import org.widecloud.driver.xenserver.sim.XapiSimulator;

/**
 * The driver over the wire (HTTPS, the simulator's self-signed certificate pinned) against {@link XapiSimulator}:
 * a simulator, because no XenServer host can run on the build machines. Pool A has hosts xs-a1 and xs-a2, pool B
 * has xs-b1.
 */
class XenServerDriverTest {
    private static final String PASSWORD = "s3cret-Pa55";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private XapiSimulator poolA;
    private XapiSimulator poolB;
    private XenServerDriver driver;
    private HostEndpoint a1;
    private HostEndpoint a2;
    private HostEndpoint b1;
    private String vdi;

    @BeforeEach
    void start() {
        poolA = XapiSimulator.start("pool-a", "root", PASSWORD, "xs-a1", "xs-a2");
        poolB = XapiSimulator.start("pool-b", "root", PASSWORD, "xs-b1");
        for (XapiSimulator p : List.of(poolA, poolB)) {
            p.addNetwork("lab", "xenbr1");
        }
        vdi = poolA.addVdi("debian-12", 8L << 30);
        driver = new XenServerDriver("root", PASSWORD, SimCerts.pem().toString(), false, Duration.ofSeconds(2));
        a1 = endpoint("a1", poolA, "xs-a1");
        a2 = endpoint("a2", poolA, "xs-a2");
        b1 = endpoint("b1", poolB, "xs-b1");
    }

    @AfterEach
    void stop() {
        driver.close();
        poolA.close();
        poolB.close();
    }

    private static HostEndpoint endpoint(String id, XapiSimulator pool, String host) {
        return new HostEndpoint(id, id, "xenserver://127.0.0.1:" + pool.port() + "/?host=" + host);
    }

    private VmSpec spec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 2, 256,
                new VmSpec.Boot("/boot/guest/vmlinuz", "/boot/guest/initrd.gz", "console=hvc0 wc.name=" + name),
                List.of(VmSpec.Disk.file("/vdi/" + vdi, "raw", true)),
                List.of(new VmSpec.NicSpec("52:54:00:12:34:56", "xenbr1", "virtio")));
    }

    @Test
    void hostFactsFromHostRecordAndMetrics() {
        HostFacts f = driver.facts(a2);
        assertEquals("xs-a2.sim", f.hostname());
        assertEquals(8, f.cpus());
        assertEquals(64 * 1024, f.memoryMiB());
        assertEquals(60 * 1024, f.freeMemoryMiB());
        assertEquals("XenServer", f.hypervisor());
        assertEquals("8.4.0", f.hypervisorVersion());
    }

    @Test
    void fullLifecycle() {
        VmSpec s = spec("web-1");
        driver.define(a1, s);
        assertEquals(DomainState.SHUTOFF, driver.state(a1, s.id()));
        Map<String, Object> r = poolA.vm(s.id()).orElseThrow();
        assertEquals("web-1", r.get("name_label"));
        assertEquals(Long.toString(256L << 20), r.get("memory_static_max"));
        assertEquals("2", r.get("VCPUs_at_startup"));
        assertEquals("/boot/guest/vmlinuz", r.get("PV_kernel"));
        assertEquals("pv", r.get("domain_type"));
        assertEquals(s.id(), ((Map<?, ?>) r.get("other_config")).get("widecloud_id"));
        List<Map<String, Object>> vbds = poolA.devices(s.id(), "VBD");
        assertEquals(1, vbds.size());
        assertEquals("RO", vbds.get(0).get("mode"));
        List<Map<String, Object>> vifs = poolA.devices(s.id(), "VIF");
        assertEquals("52:54:00:12:34:56", vifs.get(0).get("MAC"));

        driver.start(a1, s.id());
        assertEquals(DomainState.RUNNING, driver.state(a1, s.id()));
        assertEquals("xs-a1", poolA.residentHost(s.id()));
        driver.start(a1, s.id()); // idempotent
        assertEquals(Map.of(s.id(), DomainState.RUNNING), driver.states(a1));
        assertEquals(Map.of(), driver.states(a2), "a VM of xs-a1 is not listed for xs-a2");

        driver.reboot(a1, s.id());
        assertEquals(DomainState.RUNNING, driver.state(a1, s.id()));

        assertTrue(driver.shutdown(a1, s.id(), Duration.ofSeconds(10)), "the guest shuts down by itself");
        assertEquals("Halted", poolA.powerState(s.id()));
        assertTrue(driver.shutdown(a1, s.id(), Duration.ofSeconds(1)), "already off");

        driver.start(a1, s.id());
        driver.destroy(a1, s.id());
        assertEquals(DomainState.SHUTOFF, driver.state(a1, s.id()));
        driver.destroy(a1, s.id()); // no error when off

        driver.undefine(a1, s.id());
        assertEquals(DomainState.MISSING, driver.state(a1, s.id()));
        assertEquals("absent", poolA.powerState(s.id()));
        driver.undefine(a1, s.id()); // no error when gone
    }

    @Test
    void diskBootIsHvmFromTheFirstDisk() {
        VmSpec s = new VmSpec(UUID.randomUUID().toString(), "hvm-1", 1, 128, VmSpec.Boot.disk(),
                List.of(VmSpec.Disk.file("/vdi/debian-12", "raw", false)), List.of());
        driver.define(a1, s);
        Map<String, Object> r = poolA.vm(s.id()).orElseThrow();
        assertEquals("BIOS order", r.get("HVM_boot_policy"));
        assertEquals("hvm", r.get("domain_type"));
        Map<String, Object> vbd = poolA.devices(s.id(), "VBD").get(0);
        assertEquals("RW", vbd.get("mode"));
        assertEquals(true, vbd.get("bootable"));
    }

    @Test
    void badSpecsAreRefusedNamingTheFieldAndLeaveNothing() {
        VmSpec ok = spec("dup");
        driver.define(a1, ok);
        assertMessage(() -> driver.define(a1, ok), "exists already");
        assertMessage(() -> driver.define(a1, new VmSpec(UUID.randomUUID().toString(), "dup", 1, 128,
                ok.boot(), List.of(), List.of())), "a vm named 'dup' exists already");
        String id = UUID.randomUUID().toString();
        assertMessage(() -> driver.define(a1, new VmSpec(id, "nobridge", 1, 128, ok.boot(), List.of(),
                List.of(new VmSpec.NicSpec("52:54:00:00:00:01", "br-none", "virtio")))),
                "spec.nics[0].bridge: no XAPI network has bridge 'br-none'");
        assertMessage(() -> driver.define(a1, new VmSpec(id, "baddisk", 1, 128, ok.boot(),
                List.of(VmSpec.Disk.file("/var/lib/images/x.qcow2", "qcow2", true)), List.of())),
                "spec.disks[0].source: a XenServer disk is /vdi/");
        assertMessage(() -> driver.define(a1, new VmSpec(id, "novdi", 1, 128, ok.boot(),
                List.of(VmSpec.Disk.file("/vdi/nope", "raw", true)), List.of())), "no VDI with uuid or name label 'nope'");
        assertMessage(() -> driver.define(a1, new VmSpec(id, "cpu", 0, 128, ok.boot(), List.of(), List.of())),
                "spec.vcpus: must be greater than 0");
        assertEquals("absent", poolA.powerState(id), "nothing left of the refused definitions");
        assertEquals(Map.of(ok.id(), DomainState.SHUTOFF), driver.states(a1));
    }

    @Test
    void aVmThatFailsHalfwayIsRemoved() {
        VmSpec s = spec("half");
        poolA.failNext("VIF.create", "INTERNAL_ERROR", "simulated VIF failure");
        assertMessage(() -> driver.define(a1, s), "simulated VIF failure");
        assertEquals("absent", poolA.powerState(s.id()));
    }

    @Test
    void xapiErrorsBecomeClearMessages() {
        assertMessage(() -> driver.start(a1, UUID.randomUUID().toString()), "no vm with id");
        VmSpec s = spec("err");
        driver.define(a1, s);
        DriverException e = assertMessage(() -> driver.reboot(a1, s.id()),
                "VM_BAD_POWER_STATE: the VM is halted but the operation needs it running");
        assertTrue(e.getMessage().startsWith("reboot vm " + s.id() + " on host 'a1' (xenserver://127.0.0.1:"),
                e.getMessage());
        poolA.failNext("VM.start_on", "HOST_NOT_ENOUGH_FREE_MEMORY", "268435456", "1024");
        assertMessage(() -> driver.start(a1, s.id()), "HOST_NOT_ENOUGH_FREE_MEMORY: the host has not enough free memory");
        poolA.failNext("VM.get_power_state", "HANDLE_INVALID", "VM", "OpaqueRef:gone");
        assertMessage(() -> driver.start(a1, s.id()), "HANDLE_INVALID: the VM referenced does not exist");
        assertMessage(() -> driver.facts(new HostEndpoint("x", "x", "xenserver://127.0.0.1:" + poolA.port()
                + "/?host=xs-zz")), "host.uri: the pool at");
    }

    @Test
    void wrongPasswordSaysSoAndNeverShowsIt() {
        HostEndpoint wrong = new HostEndpoint("w", "w", "https://root:not-the-password@127.0.0.1:" + poolA.port() + "/");
        DriverException e = assertMessage(() -> driver.facts(wrong), "SESSION_AUTHENTICATION_FAILED");
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
        XenServerDriver configured = new XenServerDriver("root", "also-wrong", SimCerts.pem().toString(), false);
        try {
            DriverException c = assertMessage(() -> configured.facts(endpoint("c", poolA, "xs-a1")),
                    "login refused");
            assertFalse(c.getMessage().contains("also-wrong"), c.getMessage());
        } finally {
            configured.close();
        }
    }

    @Test
    void credentialsComeFromTheUriOrTheConfiguration() {
        XenServerDriver noDefaults = new XenServerDriver("", "", SimCerts.pem().toString(), false);
        try {
            assertMessage(() -> noDefaults.facts(endpoint("n", poolA, "xs-a1")), "host.uri: no XAPI user");
            HostFacts f = noDefaults.facts(new HostEndpoint("u", "u", "xenserver://root:" + PASSWORD + "@127.0.0.1:"
                    + poolA.port() + "/?host=xs-a1"));
            assertEquals(8, f.cpus());
        } finally {
            noDefaults.close();
        }
    }

    @Test
    void tlsIsCheckedUnlessALabSaysTrustAll() {
        XenServerDriver jvmTrust = new XenServerDriver("root", PASSWORD, "", false);
        XenServerDriver trustAll = new XenServerDriver("root", PASSWORD, "", true);
        try {
            assertMessage(() -> jvmTrust.facts(a1), "TLS with https://127.0.0.1:");
            assertEquals(8, trustAll.facts(a1).cpus());
        } finally {
            jvmTrust.close();
            trustAll.close();
        }
        XapiSimulator plain = XapiSimulator.start(false, "plain", "root", PASSWORD, "xs-p");
        try {
            assertEquals(8, driver.facts(new HostEndpoint("p", "p", "http://127.0.0.1:" + plain.port())).cpus());
        } finally {
            plain.close();
        }
    }

    @Test
    void unreachableHostIsAClearError() {
        poolB.close();
        assertMessage(() -> driver.facts(b1), "cannot connect to https://127.0.0.1:" + poolB.port());
    }

    @Test
    void expiredSessionLogsInAgainAndRetriesOnce() {
        VmSpec s = spec("expiry");
        driver.define(a1, s);
        int logins = poolA.logins();
        poolA.invalidateSessions();
        driver.start(a1, s.id());
        assertEquals(DomainState.RUNNING, driver.state(a1, s.id()));
        assertEquals(logins + 1, poolA.logins(), "one new login");
        assertEquals(poolA.logins(), driver.clientOf(a1).logins());
    }

    @Test
    void shutdownForcesAGuestThatIgnoresIt() {
        VmSpec s = spec("deaf");
        driver.define(a1, s);
        driver.start(a1, s.id());
        poolA.guestIgnoresShutdown(s.id());
        long t0 = System.nanoTime();
        assertFalse(driver.shutdown(a1, s.id(), Duration.ofMillis(600)), "forced off");
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(600).toNanos(), "waited the timeout first");
        assertEquals("Halted", poolA.powerState(s.id()));
        assertEquals(1, poolA.count("VM.hard_shutdown"));
    }

    @Test
    void eventsReachListenersAndSurviveSessionExpiry() {
        List<String> seen = new CopyOnWriteArrayList<>();
        DomainEventListener l = (host, vm, state, detail) -> seen.add(host + " " + vm + " " + state);
        driver.addListener(a1, l);
        VmSpec s = spec("events");
        driver.define(a1, s);
        driver.start(a1, s.id());
        await().atMost(WAIT).until(() -> seen.contains("a1 " + s.id() + " RUNNING"));

        poolA.invalidateSessions();
        poolA.haltBehindBack(s.id());
        await().atMost(WAIT).until(() -> seen.contains("a1 " + s.id() + " SHUTOFF"));

        driver.undefine(a1, s.id());
        await().atMost(WAIT).until(() -> seen.contains("a1 " + s.id() + " MISSING"));

        driver.removeListener(a1, l);
        int before = seen.size();
        VmSpec t = spec("quiet");
        driver.define(a1, t);
        driver.start(a1, t.id());
        assertEquals(DomainState.RUNNING, driver.state(a1, t.id()));
        assertEquals(before, seen.size(), "no events after removeListener");
    }

    @Test
    void lostEventsAreMadeUpForByReadingEveryVm() {
        List<String> seen = new CopyOnWriteArrayList<>();
        driver.addListener(a1, (host, vm, state, detail) -> seen.add(vm + " " + state));
        VmSpec s = spec("lost");
        driver.define(a1, s);
        driver.start(a1, s.id());
        await().atMost(WAIT).until(() -> seen.contains(s.id() + " RUNNING"));
        poolA.haltAndLoseEvents(s.id());
        await().atMost(WAIT).until(() -> seen.contains(s.id() + " SHUTOFF"));
    }

    @Test
    void aConfigurationChangeKeepsTheListeners() {
        List<String> seen = new CopyOnWriteArrayList<>();
        driver.addListener(a1, (host, vm, state, detail) -> seen.add(vm + " " + state));
        driver.modified(config("root", PASSWORD));
        VmSpec s = spec("reconfigured");
        driver.define(a1, s);
        driver.start(a1, s.id());
        await().atMost(WAIT).until(() -> seen.contains(s.id() + " RUNNING"));
        assertMessage(() -> {
            driver.modified(config("root", "changed-and-wrong"));
            driver.facts(a1);
        }, "SESSION_AUTHENTICATION_FAILED");
    }

    private static XenServerDriver.Config config(String user, String password) {
        return new XenServerDriver.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return XenServerDriver.Config.class;
            }

            @Override
            public String user() {
                return user;
            }

            @Override
            public String _password() {
                return password;
            }

            @Override
            public String tls_certificate() {
                return SimCerts.pem().toString();
            }

            @Override
            public boolean tls_trust_all() {
                return false;
            }

            @Override
            public int connect_timeout_seconds() {
                return 5;
            }

            @Override
            public int call_timeout_seconds() {
                return 30;
            }

            @Override
            public int events_wait_seconds() {
                return 2;
            }
        };
    }

    @Test
    void eventsGoToTheHostTheVmIsOn() {
        List<String> seen = new CopyOnWriteArrayList<>();
        driver.addListener(a1, (host, vm, state, detail) -> seen.add(host + " " + vm + " " + state));
        driver.addListener(a2, (host, vm, state, detail) -> seen.add(host + " " + vm + " " + state));
        VmSpec s = spec("placed");
        driver.define(a2, s);
        driver.start(a2, s.id());
        await().atMost(WAIT).until(() -> seen.contains("a2 " + s.id() + " RUNNING"));
        assertFalse(seen.contains("a1 " + s.id() + " RUNNING"), seen.toString());
    }

    @Test
    void liveMigrationWithinThePool() {
        assertTrue(driver.supportsLiveMigration());
        VmSpec s = spec("mover");
        driver.define(a1, s);
        driver.start(a1, s.id());
        List<Integer> progress = new ArrayList<>();
        MigrationResult r = driver.migrate(a1, a2, s.id(), MigrationOptions.defaults(),
                (pct, done, total) -> progress.add(pct));
        assertEquals("xs-a2", poolA.residentHost(s.id()));
        assertEquals("Running", poolA.powerState(s.id()));
        assertEquals(1, poolA.count("Async.VM.pool_migrate"));
        assertEquals(256L << 20, r.bytesTransferred());
        assertTrue(progress.contains(100) && progress.size() >= 2, progress.toString());
        assertEquals(Map.of(s.id(), DomainState.RUNNING), driver.states(a2));
        assertEquals(Map.of(), driver.states(a1));
        driver.shutdown(a2, s.id(), Duration.ofSeconds(5));
        assertEquals(Map.of(s.id(), DomainState.SHUTOFF), driver.states(a2), "halted, it stays with xs-a2");
    }

    @Test
    void liveMigrationAcrossPoolsCopiesDisksAndKeepsNics() {
        VmSpec s = spec("traveller");
        driver.define(a1, s);
        driver.start(a1, s.id());
        String uuid = String.valueOf(poolA.vm(s.id()).orElseThrow().get("uuid"));
        driver.migrate(a1, b1, s.id(), MigrationOptions.defaults(), (pct, done, total) -> { });
        assertEquals("absent", poolA.powerState(s.id()));
        assertEquals("Running", poolB.powerState(s.id()));
        assertEquals("xs-b1", poolB.residentHost(s.id()));
        assertEquals(uuid, poolB.vm(s.id()).orElseThrow().get("uuid"), "XAPI keeps the uuid");
        assertEquals(1, poolB.devices(s.id(), "VBD").size());
        assertEquals("52:54:00:12:34:56", poolB.devices(s.id(), "VIF").get(0).get("MAC"));
        assertEquals(DomainState.RUNNING, driver.state(b1, s.id()));
        assertEquals(DomainState.MISSING, driver.state(a1, s.id()));
        driver.destroy(b1, s.id());
        driver.undefine(b1, s.id());
        assertEquals("absent", poolB.powerState(s.id()));
    }

    @Test
    void migrationOfAHaltedVmOrToAPoolWithoutTheBridgeFails() {
        VmSpec s = spec("stuck");
        driver.define(a1, s);
        assertMessage(() -> driver.migrate(a1, a2, s.id(), MigrationOptions.defaults(), null),
                "only a running vm can live-migrate");
        XapiSimulator poolC = XapiSimulator.start("pool-c", "root", PASSWORD, "xs-c1");
        try {
            driver.start(a1, s.id());
            assertMessage(() -> driver.migrate(a1, endpoint("c1", poolC, "xs-c1"), s.id(),
                    MigrationOptions.defaults(), null), "the target pool has no network on bridge 'xenbr1'");
            assertEquals("xs-a1", poolA.residentHost(s.id()), "still where it was");
        } finally {
            poolC.close();
        }
    }

    private static DriverException assertMessage(Runnable r, String expected) {
        DriverException e = assertThrows(DriverException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        return e;
    }
}
