package org.widecloud.driver.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.spi.DomainEventListener;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.MigrationResult;
import org.widecloud.api.spi.VmSpec;

/**
 * The contract every {@link HypervisorDriver} keeps, as JUnit 5 tests. A vendor extends this class in their own
 * test sources, gives the driver, a host it can reach and a VM spec it can define there, and overrides the
 * optional hooks that fit. Tests that need something the subclass does not give (a way to break the connection,
 * a second host for migration) are skipped with a message that says what is missing.
 *
 * <p>The tests define VMs named {@code tck-<random>} and remove them afterwards, also when a test fails; they
 * never touch other domains of the host.
 */
public abstract class HypervisorDriverContract {

    private final List<String> created = new ArrayList<>();
    private final List<DomainEventListener> listeners = new ArrayList<>();

    // ------------------------------------------------------------------ what the vendor gives

    /** The driver under test; the same instance for the whole test method. */
    protected abstract HypervisorDriver driver();

    /** A host the driver can reach. */
    protected abstract HostEndpoint host();

    /**
     * A VM the driver can define, start and stop on {@link #host()}: a fresh UUID as {@code id}, the given name.
     * For a real hypervisor, something that really boots (a tiny kernel + initramfs) keeps the test short.
     */
    protected abstract VmSpec newSpec(String name);

    // ------------------------------------------------------------------ optional hooks

    /** Whether the guest of {@link #newSpec} powers off by itself when asked (ACPI, PV shutdown). */
    protected boolean supportsGracefulShutdown() {
        return true;
    }

    /**
     * Returns when the started guest of the spec is far enough in its boot to react to a shutdown request (a real
     * guest ignores the ACPI button while its kernel starts). The default returns at once.
     */
    protected void awaitBooted(VmSpec spec) {
    }

    /** How long a graceful shutdown of the guest may take. */
    protected Duration shutdownTimeout() {
        return Duration.ofSeconds(60);
    }

    /** How long a lifecycle event may take to arrive. */
    protected Duration eventTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Drops the driver's connection to {@link #host()} behind its back, as a restarted daemon or a network cut
     * would; returns false when the driver offers no way to do that (the reconnect test is then skipped). VMs
     * defined before must survive it, as they survive a daemon restart.
     */
    protected boolean breakConnection() {
        return false;
    }

    /**
     * A second host of the same driver that a running VM of {@link #host()} can live-migrate to, or null
     * (the migration test is then skipped) when the driver declares {@link HypervisorDriver#supportsLiveMigration()}.
     */
    protected HostEndpoint migrationTarget() {
        return null;
    }

    /** Why {@link #migrationTarget()} is null here, shown when the migration test is skipped. */
    protected String noMigrationTargetReason() {
        return "the test class gives no second host (override migrationTarget())";
    }

    /**
     * Specs the driver must refuse, keyed by the field the error message must name. The default derives them
     * from {@link #newSpec}: id not a UUID, blank name, no vcpus, no memory.
     */
    protected Map<String, VmSpec> badSpecs() {
        VmSpec ok = newSpec(name());
        Map<String, VmSpec> bad = new LinkedHashMap<>();
        bad.put("id", new VmSpec("not-a-uuid", ok.name(), ok.vcpus(), ok.memoryMiB(), ok.boot(), ok.disks(),
                ok.nics()));
        bad.put("name", new VmSpec(ok.id(), " ", ok.vcpus(), ok.memoryMiB(), ok.boot(), ok.disks(), ok.nics()));
        bad.put("vcpus", new VmSpec(ok.id(), ok.name(), 0, ok.memoryMiB(), ok.boot(), ok.disks(), ok.nics()));
        bad.put("memoryMiB", new VmSpec(ok.id(), ok.name(), ok.vcpus(), -1, ok.boot(), ok.disks(), ok.nics()));
        return bad;
    }

    /** A fresh VM name for this test run. */
    protected static String name() {
        return "tck-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void removeWhatTheTestMade() {
        HypervisorDriver d = driver();
        listeners.forEach(l -> quietly(() -> d.removeListener(host(), l)));
        for (String id : created) {
            quietly(() -> d.destroy(host(), id));
            quietly(() -> d.undefine(host(), id));
            HostEndpoint target = migrationTarget();
            if (target != null) {
                quietly(() -> d.destroy(target, id));
                quietly(() -> d.undefine(target, id));
            }
        }
        afterEachTest();
    }

    /**
     * Called after each test once the TCK has removed its VMs and listeners (JUnit runs a subclass's own
     * {@code @AfterEach} before this class's, while the driver is still needed): close the driver here.
     */
    protected void afterEachTest() {
    }

    // ------------------------------------------------------------------ host

    @Test
    void typeIsALowerCaseToken() {
        String type = driver().type();
        assertNotNull(type, "type()");
        assertTrue(type.matches("[a-z][a-z0-9-]{0,31}"), "type() '" + type + "' must be a lower-case token: it is "
                + "the value of the service property " + HypervisorDriver.TYPE_PROPERTY + " and of hosts' driver");
    }

    @Test
    void hostFactsArePlausible() {
        HostFacts f = driver().facts(host());
        assertNotNull(f, "facts()");
        assertTrue(f.cpus() > 0, "cpus > 0: " + f);
        assertTrue(f.memoryMiB() > 0, "memoryMiB > 0: " + f);
        assertTrue(f.freeMemoryMiB() <= f.memoryMiB(), "free memory (negative = unknown) <= memory: " + f);
        assertTrue(f.hypervisor() != null && !f.hypervisor().isBlank(), "hypervisor named: " + f);
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void lifecycleAndTheStateAfterEachStep() {
        HypervisorDriver d = driver();
        HostEndpoint h = host();
        VmSpec spec = define(newSpec(name()));
        String id = spec.id();
        assertEquals(DomainState.SHUTOFF, d.state(h, id), "after define");
        assertEquals(DomainState.SHUTOFF, d.states(h).get(id), "states() after define");

        d.start(h, id);
        assertEquals(DomainState.RUNNING, d.state(h, id), "after start");
        awaitBooted(spec);
        if (supportsGracefulShutdown()) {
            assertTrue(d.shutdown(h, id, shutdownTimeout()), "the guest should power off by itself when asked");
        } else {
            d.shutdown(h, id, shutdownTimeout());
        }
        assertEquals(DomainState.SHUTOFF, d.state(h, id), "after shutdown");
        assertDoesNotThrow(() -> d.shutdown(h, id, Duration.ofSeconds(1)), "shutdown of a VM that is off");

        d.start(h, id);
        assertEquals(DomainState.RUNNING, d.state(h, id), "after the second start");
        d.reboot(h, id);
        await().atMost(shutdownTimeout()).until(() -> d.state(h, id) == DomainState.RUNNING);
        d.destroy(h, id);
        assertEquals(DomainState.SHUTOFF, d.state(h, id), "after destroy");
        assertDoesNotThrow(() -> d.destroy(h, id), "destroy of a VM that is off");
        assertEquals(DomainState.SHUTOFF, d.state(h, id), "after the second destroy");

        d.undefine(h, id);
        assertEquals(DomainState.MISSING, d.state(h, id), "after undefine");
        assertFalse(d.states(h).containsKey(id), "states() after undefine");
        assertDoesNotThrow(() -> d.undefine(h, id), "undefine of a VM that is gone");
    }

    @Test
    void shutdownAlwaysEndsWithTheVmOff() {
        HypervisorDriver d = driver();
        VmSpec spec = define(newSpec(name()));
        d.start(host(), spec.id());
        // Whether the guest made it in a millisecond or was forced off, shutdown returns with the VM off.
        d.shutdown(host(), spec.id(), Duration.ofMillis(1));
        assertEquals(DomainState.SHUTOFF, d.state(host(), spec.id()));
    }

    @Test
    void statesListsEveryVmWithItsState() {
        HypervisorDriver d = driver();
        VmSpec running = define(newSpec(name()));
        VmSpec off = define(newSpec(name()));
        d.start(host(), running.id());
        Map<String, DomainState> states = lowerCaseKeys(d.states(host()));
        assertEquals(DomainState.RUNNING, states.get(running.id().toLowerCase(Locale.ROOT)), "running VM: " + states);
        assertEquals(DomainState.SHUTOFF, states.get(off.id().toLowerCase(Locale.ROOT)), "defined VM: " + states);
        assertEquals(DomainState.MISSING, d.state(host(), UUID.randomUUID().toString()), "unknown VM");
    }

    @Test
    void lifecycleEventsArriveAndStopAfterRemoval() {
        HypervisorDriver d = driver();
        List<Event> events = listen();
        VmSpec spec = define(newSpec(name()));
        d.start(host(), spec.id());
        await().atMost(eventTimeout()).until(() -> saw(events, spec.id(), DomainState.RUNNING));
        d.destroy(host(), spec.id());
        await().atMost(eventTimeout()).until(() -> saw(events, spec.id(), DomainState.SHUTOFF));
        d.undefine(host(), spec.id());
        await().atMost(eventTimeout()).until(() -> saw(events, spec.id(), DomainState.MISSING));
        for (Event e : events) {
            assertEquals(host().hostId(), e.hostId(), "events carry the host's id: " + e);
        }

        listeners.forEach(l -> d.removeListener(host(), l));
        VmSpec later = define(newSpec(name()));
        d.start(host(), later.id());
        d.destroy(host(), later.id());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> events.stream().noneMatch(e -> e.vmId().equalsIgnoreCase(later.id())));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void operationsOnAnUnknownVmFailNamingIt() {
        HypervisorDriver d = driver();
        String unknown = UUID.randomUUID().toString();
        expectFailure(unknown, () -> d.start(host(), unknown));
        expectFailure(unknown, () -> d.reboot(host(), unknown));
        expectFailure(unknown, () -> d.shutdown(host(), unknown, Duration.ofSeconds(1)));
        assertDoesNotThrow(() -> d.undefine(host(), unknown), "undefine of an unknown VM is no error");
        assertEquals(DomainState.MISSING, d.state(host(), unknown));
    }

    @Test
    void duplicateDefinesAreRefusedAndChangeNothing() {
        HypervisorDriver d = driver();
        VmSpec first = define(newSpec(name()));
        Set<String> before = lowerCaseKeys(d.states(host())).keySet();

        expectFailure(first.id(), () -> d.define(host(), first));
        VmSpec sameName = newSpec(first.name());
        track(sameName);
        expectFailure(first.name(), () -> d.define(host(), sameName));
        VmSpec sameId = withId(newSpec(name()), first.id());
        expectFailure(first.id(), () -> d.define(host(), sameId));

        assertEquals(before, lowerCaseKeys(d.states(host())).keySet(), "a refused define leaves nothing behind");
        assertEquals(DomainState.MISSING, d.state(host(), sameName.id()));
        assertEquals(DomainState.SHUTOFF, d.state(host(), first.id()), "the first VM is untouched");
    }

    @Test
    void badSpecsAreRefusedNamingTheFieldAndLeaveNothingDefined() {
        HypervisorDriver d = driver();
        Set<String> before = lowerCaseKeys(d.states(host())).keySet();
        for (Map.Entry<String, VmSpec> bad : badSpecs().entrySet()) {
            VmSpec spec = bad.getValue();
            track(spec);
            DriverException e = assertThrows(DriverException.class, () -> d.define(host(), spec),
                    "define with a bad " + bad.getKey() + " must fail: " + spec);
            assertTrue(e.getMessage() != null && e.getMessage().contains(bad.getKey()),
                    "the message should name the field '" + bad.getKey() + "': " + e.getMessage());
        }
        assertThrows(DriverException.class, () -> d.define(host(), null), "define(null)");
        assertEquals(before, lowerCaseKeys(d.states(host())).keySet(), "a refused define leaves nothing behind");
    }

    // ------------------------------------------------------------------ connection

    @Test
    void reconnectsAfterTheConnectionDrops() {
        HypervisorDriver d = driver();
        List<Event> events = listen();
        VmSpec before = define(newSpec(name()));
        assumeTrue(breakConnection(), "skipped: the test class gives no way to break the driver's connection "
                + "(override breakConnection())");

        assertEquals(DomainState.SHUTOFF, d.state(host(), before.id()), "a VM defined before the drop");
        assertNotNull(d.facts(host()));
        d.start(host(), before.id());
        assertEquals(DomainState.RUNNING, d.state(host(), before.id()));
        await().atMost(eventTimeout()).until(() -> saw(events, before.id(), DomainState.RUNNING));
        VmSpec after = define(newSpec(name()));
        assertEquals(DomainState.SHUTOFF, d.state(host(), after.id()));
    }

    @Test
    void aDisconnectedHostIsReachedAgainOnNextUse() {
        HypervisorDriver d = driver();
        VmSpec spec = define(newSpec(name()));
        d.disconnect(host());
        assertEquals(DomainState.SHUTOFF, d.state(host(), spec.id()), "state after disconnect");
        assertNotNull(d.facts(host()));
        d.start(host(), spec.id());
        assertEquals(DomainState.RUNNING, d.state(host(), spec.id()));
    }

    // ------------------------------------------------------------------ migration

    /** Drivers without migration refuse every call; those with it refuse a move to the VM's own host. */
    @Test
    void aRefusedMigrationLeavesTheVmRunning() {
        HypervisorDriver d = driver();
        VmSpec spec = define(newSpec(name()));
        d.start(host(), spec.id());
        DriverException e = assertThrows(DriverException.class, () -> d.migrate(host(), host(), spec.id(),
                MigrationOptions.defaults(), (p, b, t) -> { }),
                d.supportsLiveMigration() ? "a migration to the VM's own host" : "a driver that declares no migration");
        assertNotNull(e.getMessage());
        assertEquals(DomainState.RUNNING, d.state(host(), spec.id()), "a refused migration leaves the VM running");
    }

    @Test
    void liveMigrationMovesARunningVm() {
        HypervisorDriver d = driver();
        assumeTrue(d.supportsLiveMigration(), "skipped: driver '" + d.type() + "' declares no live migration");
        HostEndpoint target = migrationTarget();
        assumeTrue(target != null, "skipped: driver '" + d.type() + "' declares live migration, but "
                + noMigrationTargetReason());
        VmSpec spec = define(newSpec(name()));
        d.start(host(), spec.id());
        List<Integer> percents = new CopyOnWriteArrayList<>();
        MigrationResult r = d.migrate(host(), target, spec.id(), MigrationOptions.defaults(), (p, b, t) -> {
            percents.add(p);
        });
        assertNotNull(r, "migrate returns what the hypervisor measured");
        assertTrue(r.totalMs() >= 0 && r.downtimeMs() >= -1, "times (downtime -1: not reported): " + r);
        assertEquals(DomainState.RUNNING, d.state(target, spec.id()), "running on the target");
        DomainState source = d.state(host(), spec.id());
        assertTrue(source == DomainState.MISSING || source == DomainState.SHUTOFF,
                "not running on the source any more: " + source);
        for (int p : percents) {
            assertTrue(p >= 0 && p <= 100, "progress in percent: " + percents);
        }

        String unknown = UUID.randomUUID().toString();
        expectFailure(unknown, () -> d.migrate(host(), target, unknown, MigrationOptions.defaults(),
                (p, b, t) -> { }));
    }

    // ------------------------------------------------------------------ helpers for subclasses' own tests

    /** Defines the spec on {@link #host()} and removes it after the test. */
    protected VmSpec define(VmSpec spec) {
        track(spec);
        driver().define(host(), spec);
        return spec;
    }

    /** Removes the VM (on both hosts) after the test even if the test did not define it itself. */
    protected void track(VmSpec spec) {
        if (spec != null && spec.id() != null) {
            created.add(spec.id());
        }
    }

    /** Subscribes a recording listener to {@link #host()}; it is removed after the test. */
    protected List<Event> listen() {
        List<Event> events = new CopyOnWriteArrayList<>();
        DomainEventListener l = (hostId, vmId, state, detail) -> events.add(new Event(hostId, vmId, state, detail));
        listeners.add(l);
        driver().addListener(host(), l);
        return events;
    }

    protected static boolean saw(List<Event> events, String vmId, DomainState state) {
        return events.stream().anyMatch(e -> e.vmId().equalsIgnoreCase(vmId) && e.state() == state);
    }

    /** One lifecycle event as a listener got it. */
    public record Event(String hostId, String vmId, DomainState state, String detail) {
    }

    private static void expectFailure(String mustName, Runnable call) {
        DriverException e = assertThrows(DriverException.class, call::run);
        assertTrue(e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT)
                .contains(mustName.toLowerCase(Locale.ROOT)),
                "the message should name '" + mustName + "': " + e.getMessage());
    }

    private static VmSpec withId(VmSpec s, String id) {
        return new VmSpec(id, s.name(), s.vcpus(), s.memoryMiB(), s.boot(), s.disks(), s.nics());
    }

    private static <V> Map<String, V> lowerCaseKeys(Map<String, V> m) {
        Map<String, V> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // cleanup of what may not exist
        }
    }
}
