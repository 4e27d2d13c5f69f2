package org.widecloud.driver.libvirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;
import org.w3c.dom.Document;
import org.widecloud.driver.libvirt.internal.SafeXml;

/** The shared driver against libvirt's real test hypervisor ({@code test:///default}, in-process, no daemon). */
class LibvirtDriverTest {
    static final HostEndpoint HOST = new HostEndpoint("h-1", "test-host", "test:///default");
    /** test:///default forgets its domains when its last connection closes; this one keeps them. */
    private static Connect keepState;
    private final TestHypervisorDriver driver = new TestHypervisorDriver();
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void keepTestHypervisorState() throws Exception {
        keepState = new Connect("test:///default", false);
    }

    @AfterAll
    static void release() throws Exception {
        keepState.close();
    }

    @AfterEach
    void cleanUp() {
        for (String id : created) {
            if (driver.state(HOST, id) != DomainState.MISSING) {
                driver.destroy(HOST, id);
                driver.undefine(HOST, id);
            }
        }
        driver.close();
    }

    static VmSpec spec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 64, new VmSpec.Boot("/boot/vmlinuz",
                "/boot/initrd.gz", "console=ttyS0"), List.of(), List.of(new VmSpec.NicSpec("52:54:00:12:34:56",
                "br0", null)));
    }

    private VmSpec defined(String name) {
        VmSpec s = spec(name);
        driver.define(HOST, s);
        created.add(s.id());
        return s;
    }

    @Test
    void wholeLifecycle() {
        VmSpec s = defined("life-" + UUID.randomUUID().toString().substring(0, 8));
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, s.id()));
        driver.start(HOST, s.id());
        assertEquals(DomainState.RUNNING, driver.state(HOST, s.id()));
        driver.start(HOST, s.id()); // idempotent
        assertEquals(DomainState.RUNNING, driver.states(HOST).get(s.id()));
        driver.reboot(HOST, s.id());
        assertEquals(DomainState.RUNNING, driver.state(HOST, s.id()));
        assertTrue(driver.shutdown(HOST, s.id(), Duration.ofSeconds(5)), "went off by itself");
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, s.id()));
        assertTrue(driver.shutdown(HOST, s.id(), Duration.ofSeconds(5)), "already off counts as off");
        driver.start(HOST, s.id());
        driver.destroy(HOST, s.id());
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, s.id()));
        driver.destroy(HOST, s.id()); // no error when off
        assertEquals(DomainState.SHUTOFF, driver.states(HOST).get(s.id()));
        driver.undefine(HOST, s.id());
        assertEquals(DomainState.MISSING, driver.state(HOST, s.id()));
        assertFalse(driver.states(HOST).containsKey(s.id()));
        driver.undefine(HOST, s.id()); // no error when missing
    }

    @Test
    void statesListsDomainsWidecloudDidNotCreate() throws Exception {
        // test:///default ships one running domain called "test".
        String foreign = keepState.domainLookupByName("test").getUUIDString();
        assertEquals(DomainState.RUNNING, driver.states(HOST).get(foreign));
    }

    @Test
    void eventsArrive() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        VmSpec s = spec("events-" + UUID.randomUUID().toString().substring(0, 8));
        driver.addListener(HOST, (hostId, vmId, state, detail) -> {
            if (vmId.equals(s.id())) {
                seen.add(hostId + " " + state + " " + detail);
            }
        });
        driver.define(HOST, s);
        created.add(s.id());
        driver.start(HOST, s.id());
        driver.destroy(HOST, s.id());
        driver.undefine(HOST, s.id());
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 4);
        assertEquals(List.of("h-1 SHUTOFF DEFINED/ADDED", "h-1 RUNNING STARTED/BOOTED",
                "h-1 SHUTOFF STOPPED/DESTROYED", "h-1 MISSING UNDEFINED/REMOVED"), seen);
    }

    @Test
    void eventsSurviveReconnect() {
        List<DomainState> seen = Collections.synchronizedList(new ArrayList<>());
        VmSpec s = spec("evre-" + UUID.randomUUID().toString().substring(0, 8));
        driver.addListener(HOST, (hostId, vmId, state, detail) -> {
            if (vmId.equals(s.id())) {
                seen.add(state);
            }
        });
        driver.simulateConnectionLoss(HOST);
        driver.define(HOST, s);
        created.add(s.id());
        driver.start(HOST, s.id());
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(DomainState.RUNNING));
    }

    @Test
    void removedListenerHearsNothing() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        org.widecloud.api.spi.DomainEventListener l = (h, v, st, d) -> seen.add(v);
        driver.addListener(HOST, l);
        driver.addListener(HOST, (h, v, st, d) -> other.add(v));
        driver.removeListener(HOST, l);
        VmSpec s = defined("quiet-" + UUID.randomUUID().toString().substring(0, 8));
        await().atMost(Duration.ofSeconds(5)).until(() -> other.contains(s.id()));
        assertTrue(seen.isEmpty());
    }

    @Test
    void unknownVmsGiveClearErrors() {
        String unknown = UUID.randomUUID().toString();
        assertEquals(DomainState.MISSING, driver.state(HOST, unknown));
        for (Runnable op : List.<Runnable>of(() -> driver.start(HOST, unknown), () -> driver.reboot(HOST, unknown),
                () -> driver.destroy(HOST, unknown), () -> driver.shutdown(HOST, unknown, Duration.ofSeconds(1)))) {
            DriverException e = assertThrows(DriverException.class, op::run);
            assertTrue(e.getMessage().contains("no vm with uuid " + unknown + " on host 'test-host'"),
                    e.getMessage());
        }
        driver.undefine(HOST, unknown); // no error when missing
    }

    @Test
    void duplicateDefineIsRefusedAndChangesNothing() {
        VmSpec s = defined("dup-" + UUID.randomUUID().toString().substring(0, 8));
        VmSpec sameId = new VmSpec(s.id(), s.name() + "x", 2, 128, s.boot(), s.disks(), s.nics());
        DriverException e = assertThrows(DriverException.class, () -> driver.define(HOST, sameId));
        assertTrue(e.getMessage().contains("uuid " + s.id() + " exists already"), e.getMessage());
        VmSpec sameName = spec(s.name());
        e = assertThrows(DriverException.class, () -> driver.define(HOST, sameName));
        assertTrue(e.getMessage().contains("named '" + s.name() + "' exists already"), e.getMessage());
        assertEquals(DomainState.MISSING, driver.state(HOST, sameName.id()));
        assertFalse(driver.domainXml(HOST, s).isEmpty());
    }

    @Test
    void libvirtErrorsCarryLibvirtsMessage() {
        VmSpec s = defined("rb-" + UUID.randomUUID().toString().substring(0, 8));
        // Rebooting a domain that is off: libvirt refuses, and says why.
        DriverException e = assertThrows(DriverException.class, () -> driver.reboot(HOST, s.id()));
        assertTrue(e.getMessage().startsWith("reboot vm " + s.id() + " on host 'test-host' (test:///default): "),
                e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("not running"), e.getMessage());
    }

    @Test
    void badUriGivesClearError() {
        HostEndpoint nowhere = new HostEndpoint("h-x", "nowhere", "test:///no/such/node.xml");
        DriverException e = assertThrows(DriverException.class, () -> driver.facts(nowhere));
        assertTrue(e.getMessage().contains("test:///no/such/node.xml"), e.getMessage());
    }

    @Test
    void reconnectsAfterDisconnect() {
        VmSpec s = defined("recon-" + UUID.randomUUID().toString().substring(0, 8));
        driver.disconnect(HOST);
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, s.id()));
        driver.disconnect(HOST);
        driver.disconnect(HOST); // twice: nothing to close
        driver.start(HOST, s.id());
        assertEquals(DomainState.RUNNING, driver.state(HOST, s.id()));
    }

    @Test
    void reconnectsOnceWhenTheConnectionDied() {
        VmSpec s = defined("dead-" + UUID.randomUUID().toString().substring(0, 8));
        driver.simulateConnectionLoss(HOST);
        driver.start(HOST, s.id()); // fails on the dead connection, reconnects, retries
        assertEquals(DomainState.RUNNING, driver.state(HOST, s.id()));
    }

    @Test
    void factsOfTheHost() {
        HostFacts f = driver.facts(HOST);
        assertTrue(f.cpus() > 0, f.toString());
        assertTrue(f.memoryMiB() > 0, f.toString());
        assertEquals("TEST", f.hypervisor());
        assertTrue(f.hypervisorVersion().matches("\\d+\\.\\d+\\.\\d+"), f.toString());
        assertFalse(f.hostname().isBlank());
    }

    @Test
    void namesAndCmdlinesWithXmlCharactersAreEscaped() throws Exception {
        String name = "we<ird>&\"quote'd-" + UUID.randomUUID().toString().substring(0, 8);
        String cmdline = "console=ttyS0 wc.name=<a&b> x=\"y\" z='w' ]]>";
        VmSpec s = new VmSpec(UUID.randomUUID().toString(), name, 1, 64, new VmSpec.Boot("/k&<", "/i\"'", cmdline),
                List.of(VmSpec.Disk.file("/var/lib/a&b<c>\"d'.qcow2", "qcow2", false)), List.of());
        String xml = driver.domainXml(HOST, s);
        assertTrue(xml.contains("we&lt;ird&gt;&amp;"), xml);
        assertTrue(xml.contains("wc.name=&lt;a&amp;b&gt;"), xml);
        assertTrue(xml.contains("]]&gt;"), xml);
        assertTrue(xml.contains("file=\"/var/lib/a&amp;b&lt;c&gt;&quot;d'.qcow2\""), xml);
        Document doc = SafeXml.parse(xml); // well-formed
        assertEquals(name, doc.getElementsByTagName("name").item(0).getTextContent());
        assertEquals(cmdline, doc.getElementsByTagName("cmdline").item(0).getTextContent());
        driver.define(HOST, s);
        created.add(s.id());
        assertEquals(name, keepState.domainLookupByUUIDString(s.id()).getName());
        String back = keepState.domainLookupByUUIDString(s.id()).getXMLDesc(0);
        assertEquals(cmdline, SafeXml.parse(back).getElementsByTagName("cmdline").item(0).getTextContent());
    }

    @Test
    void iscsiDiskWithChapDefinesOnTheTestHypervisorWhichHasNoSecretStore() throws Exception {
        VmSpec base = spec("chap-" + UUID.randomUUID().toString().substring(0, 8));
        VmSpec s = new VmSpec(base.id(), base.name(), 1, 64, base.boot(), List.of(VmSpec.Disk.iscsi(
                "iqn.2026-11.org.widecloud:v/1", List.of("127.0.0.1:3260"),
                new VmSpec.Auth("chap", "never-Shown-123", "wc-vol-1"))), base.nics());
        driver.define(HOST, s);
        created.add(s.id());
        String xml = keepState.domainLookupByUUIDString(s.id()).getXMLDesc(0);
        assertTrue(xml.contains("usage='wc-vol-1'"), xml);
        assertFalse(xml.contains("never-Shown-123"), xml);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndDefinesNothing() {
        VmSpec good = spec("bad-" + UUID.randomUUID().toString().substring(0, 8));
        List<VmSpec.NicSpec> badMac = List.of(new VmSpec.NicSpec("52:54:00:12:34", "br0", null));
        List<VmSpec.NicSpec> emptyBridge = List.of(new VmSpec.NicSpec("52:54:00:12:34:56", "", null));
        assertRefused("nics[0].mac", new VmSpec(good.id(), good.name(), 1, 64, good.boot(), List.of(), badMac));
        assertRefused("nics[0].bridge", new VmSpec(good.id(), good.name(), 1, 64, good.boot(), List.of(),
                emptyBridge));
        assertRefused("name", new VmSpec(good.id(), "", 1, 64, good.boot(), List.of(), List.of()));
        assertRefused("name", new VmSpec(good.id(), "a\u0001b", 1, 64, good.boot(), List.of(), List.of()));
        assertRefused("id", new VmSpec("not-a-uuid", good.name(), 1, 64, good.boot(), List.of(), List.of()));
        assertRefused("memoryMiB", new VmSpec(good.id(), good.name(), 1, 0, good.boot(), List.of(), List.of()));
        assertRefused("disks", new VmSpec(good.id(), good.name(), 1, 64, VmSpec.Boot.disk(), List.of(),
                List.of()));
        assertEquals(DomainState.MISSING, driver.state(HOST, good.id()));
    }

    private void assertRefused(String field, VmSpec spec) {
        DriverException e = assertThrows(DriverException.class, () -> driver.define(HOST, spec));
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }

    @Test
    void callsFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    VmSpec s = spec("mt-" + n + "-" + UUID.randomUUID().toString().substring(0, 8));
                    driver.define(HOST, s);
                    driver.start(HOST, s.id());
                    if (n % 10 == 0) {
                        driver.disconnect(HOST); // others must not notice beyond a reconnect
                    }
                    assertEquals(DomainState.RUNNING, driver.state(HOST, s.id()));
                    driver.destroy(HOST, s.id());
                    driver.undefine(HOST, s.id());
                    assertEquals(DomainState.MISSING, driver.state(HOST, s.id()));
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
