package org.widecloud.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.MigrationStep;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.store.jdbc.JdbcCloudStore;

/**
 * The migration saga on the real core and store, with two hosts on libvirt's test hypervisor (two separate
 * {@code test:///} states) and {@link MovingTestDriver} standing in for the live migration libvirt's test driver
 * cannot do. Crashes are played by stopping the saga right after a journal write and running recovery as a
 * restarted controller would.
 */
class MigrationSagaTest {
    private static final String USER = "tester";

    /** Thrown by the step hook: an Error, so the saga's own rollback (which catches RuntimeException) does not run. */
    static final class Crash extends Error {
        Crash(MigrationStep step) {
            super("controller crashed at " + step);
        }
    }

    @TempDir
    Path folder;
    JdbcCloudStore store;
    MovingTestDriver driver;
    RecordingMobility mobility;
    CoreFixture core;
    Host a;
    Host b;
    HostEndpoint epA;
    HostEndpoint epB;

    @BeforeEach
    void setUp() throws Exception {
        store = JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.toString()), null, null, 4);
        driver = new MovingTestDriver();
        mobility = new RecordingMobility();
        core = new CoreFixture(store).withDriver(driver);
        core.drivers.addMobility(mobility);
        Path nodeB = Files.writeString(folder.resolve("node-b.xml"), "<node><cpu><mhz>2000</mhz><model>i686</model>"
                + "<active>4</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu>"
                + "<memory>8388608</memory></node>");
        core.sites.create(USER, new Requests.SiteCreate("site-a", null));
        core.sites.create(USER, new Requests.SiteCreate("site-b", null));
        a = core.hosts.create(USER, new Requests.HostCreate("ha", "site-a", "kvm", "test:///default", "10.0.1.2", "local"));
        b = core.hosts.create(USER, new Requests.HostCreate("hb", "site-b", "kvm", "test://" + nodeB, "10.0.2.2", "local"));
        epA = Endpoints.of(a);
        epB = Endpoints.of(b);
        core.networks.create(USER, new Requests.NetworkCreate("mobile", "10.50.0.0/24", "2001:db8:50::/64",
                "recording", "br-mob", Map.of()));
        core.networks.create(USER, new Requests.NetworkCreate("local-only", "10.60.0.0/24", null, null, "br-loc", null));
        core.images.create(USER, new Requests.ImageCreate("tiny", null, null, "/var/tmp/vmlinuz", "/var/tmp/initrd", null));
    }

    @AfterEach
    void tearDown() {
        core.close();
        driver.close();
        store.close();
    }

    private Vm running(String network) throws Exception {
        String name = "vm-" + UUID.randomUUID().toString().substring(0, 8);
        Job j = done(core.vms.create(USER, new Requests.VmCreate(name, "ha", null, 1, 64L, "tiny",
                List.of(new Requests.NicRequest(network, null, null, null)),
                true)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        mobility.calls.clear();
        return core.vms.get(name);
    }

    private Job done(Job job) throws InterruptedException {
        Job j = core.jobs.await(job.id(), Duration.ofSeconds(30));
        assertTrue(j.isDone(), "job did not end: " + j);
        return j;
    }

    private static Requests.VmMigrate to(String host) {
        return new Requests.VmMigrate(host, null, null, null, null, null, null, null);
    }

    private Migration lastMigration(Vm vm) {
        return store.migrations(PageRequest.of(0, 1), vm.id()).items().get(0);
    }

    @Test
    void aRunningVmMovesToAnotherSiteWithItsNetwork() throws Exception {
        Vm vm = running("mobile");
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb")));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());

        Vm moved = core.vms.get(vm.name());
        assertEquals(b.id(), moved.host());
        assertEquals(VmState.RUNNING, moved.state());
        assertEquals(vm.nics(), moved.nics(), "addresses are kept");
        assertEquals(DomainState.RUNNING, driver.state(epB, vm.id()));
        assertEquals(DomainState.MISSING, driver.state(epA, vm.id()));
        assertEquals(List.of("prepare ha>hb", "commit ha>hb", "release ha"), mobility.calls);
        Migration m = lastMigration(vm);
        assertEquals(MigrationStep.DONE, m.step());
        assertEquals(Long.valueOf(7), m.downtimeMs());
        assertEquals(Long.valueOf(2000), m.bytesTransferred());
    }

    @Test
    void observersWatchEachMigrationAndTheirGapIsJournalledAndSummarised() throws Exception {
        // A stand-in observer: the real one (a UDP stream from the lab's client namespace) runs in the lab tests;
        // here only the saga's plumbing is under test.
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.widecloud.api.spi.MigrationObserver watching = (id, vmId, vmName, source, target) -> {
            seen.add("begin " + vmName + " " + source.hostName() + ">" + target.hostName());
            return succeeded -> {
                seen.add("end " + succeeded);
                return 42L;
            };
        };
        org.widecloud.api.spi.MigrationObserver notWatching = (id, vmId, vmName, source, target) -> null;
        core.saga.addObserver(watching);
        core.saga.addObserver(notWatching);
        Vm vm = running("mobile");
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb")));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        assertEquals(List.of("begin " + vm.name() + " ha>hb", "end true"), seen);
        Migration m = lastMigration(vm);
        assertEquals(Long.valueOf(42), m.gapMs());
        assertEquals("done: downtime 7 ms, 0.0 MiB transferred, total 30 ms, service gap 42 ms",
                core.jobs.get(j.id()).step(), "the job's result line");

        seen.clear();
        driver.failMigrate = new DriverException("target refused (injected)", null);
        Job failed = done(core.vms.migrate(USER, vm.name(), to("ha")));
        assertEquals(JobState.FAILED, failed.state());
        assertEquals(List.of("begin " + vm.name() + " hb>ha", "end false"), seen, "a rollback ends the watch too");
        assertNull(lastMigration(vm).gapMs(), "no gap is recorded for a migration that did not happen");
        core.saga.removeObserver(watching);
    }

    @Test
    void placementOnlyUsesSitesTheNetworkReaches() throws Exception {
        mobility.reachesOnlySite = b.site();
        Job placed = done(core.vms.create(USER, new Requests.VmCreate("on-b", null, null, 1, 64L, "tiny",
                List.of(new Requests.NicRequest("mobile", null, null, null)), false)));
        assertEquals(JobState.SUCCEEDED, placed.state(), placed.error());
        assertEquals(b.id(), core.vms.get("on-b").host(), "the only site the network reaches");
        assertField("host", ConflictException.class, () -> core.vms.create(USER, new Requests.VmCreate("on-a", "ha",
                null, 1, 64L, "tiny", List.of(new Requests.NicRequest("mobile", null, null, null)), false)));
        assertTrue(core.vms.list(PageRequest.of(0, 10), null, null).items().stream().noneMatch(v -> v.name().equals("on-a")),
                "nothing is created");
        assertField("nics", ConflictException.class, () -> core.vms.create(USER, new Requests.VmCreate("nowhere",
                null, "site-a", 1, 64L, "tiny", List.of(new Requests.NicRequest("mobile", null, null, null)), false)));
    }

    @Test
    void aNetworkThatMovesAsAWholeKeepsItsVmsOnOneHost() throws Exception {
        mobility.movesWhole = true;
        Vm first = running("mobile");
        Job second = done(core.vms.create(USER, new Requests.VmCreate("second", null, null, 1, 64L, "tiny",
                List.of(new Requests.NicRequest("mobile", null, null, null)), true)));
        assertEquals(JobState.SUCCEEDED, second.state(), second.error());
        assertEquals(a.id(), core.vms.get("second").host(), "placed with the network's other vm");
        assertField("host", ConflictException.class, () -> core.vms.create(USER, new Requests.VmCreate("third", "hb",
                null, 1, 64L, "tiny", List.of(new Requests.NicRequest("mobile", null, null, null)), false)));
        assertField("vm", ConflictException.class, () -> core.vms.migrate(USER, first.name(), to("hb")));
        assertEquals(VmState.RUNNING, core.vms.get(first.name()).state(), "a refused migration changes nothing");
        assertEquals(0, store.migrations(PageRequest.of(0, 10), first.id()).total());
    }

    @Test
    void aTargetSiteLetsPlacementChooseTheHost() throws Exception {
        Vm vm = running("mobile");
        Job j = done(core.vms.migrate(USER, vm.name(), new Requests.VmMigrate(null, "site-b", 50, 100, true, false,
                false, 60)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        assertEquals(b.id(), core.vms.get(vm.name()).host());
    }

    @Test
    void refusedMigrationsChangeNothing() throws Exception {
        Vm vm = running("mobile");
        assertField("host", ConflictException.class, () -> core.vms.migrate(USER, vm.name(), to("ha")));
        assertField("host", ValidationException.class, () -> core.vms.migrate(USER, vm.name(), to("nope")));
        assertField("host", ValidationException.class, () -> core.vms.migrate(USER, vm.name(), to(null)));
        assertField("maxDowntimeMs", ValidationException.class, () -> core.vms.migrate(USER, vm.name(),
                new Requests.VmMigrate("hb", null, 0, null, null, null, null, null)));
        Vm plain = running("local-only");
        assertField("host", ConflictException.class, () -> core.vms.migrate(USER, plain.name(), to("hb")));
        done(core.vms.stop(USER, plain.name(), Duration.ofSeconds(2)));
        assertField("state", ConflictException.class, () -> core.vms.migrate(USER, plain.name(), to("hb")));
        core.hosts.update(USER, "hb", new Requests.HostUpdate(null, null, "MAINTENANCE", null));
        assertField("host", ConflictException.class, () -> core.vms.migrate(USER, vm.name(), to("hb")));

        assertEquals(0, store.migrations(PageRequest.of(0, 10), null).total());
        assertEquals(VmState.RUNNING, core.vms.get(vm.name()).state());
        assertEquals(a.id(), core.vms.get(vm.name()).host());
        assertTrue(mobility.calls.isEmpty(), mobility.calls.toString());
    }

    @Test
    void aVmAlreadyMigratingIsRefused() throws Exception {
        Vm vm = running("mobile");
        core.locks.lock(vm.id(), vm.name(), "another-job");
        try {
            assertThrows(ConflictException.class, () -> core.vms.migrate(USER, vm.name(), to("hb")));
        } finally {
            core.locks.unlock(vm.id());
        }
    }

    @Test
    void aFailedMigrationIsRolledBackAndTheVmRunsAtTheSource() throws Exception {
        Vm vm = running("mobile");
        driver.failMigrate = new DriverException("target refused the incoming migration (injected)", null);
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb")));
        assertEquals(JobState.FAILED, j.state());
        assertTrue(j.error().contains("target refused"), j.error());
        assertTrue(j.error().contains("rolled back"), j.error());

        Vm after = core.vms.get(vm.name());
        assertEquals(a.id(), after.host());
        assertEquals(VmState.RUNNING, after.state());
        assertEquals(DomainState.RUNNING, driver.state(epA, vm.id()));
        assertEquals(DomainState.MISSING, driver.state(epB, vm.id()));
        assertEquals(List.of("prepare ha>hb", "rollback ha>hb", "release hb"), mobility.calls);
        Migration m = lastMigration(vm);
        assertEquals(MigrationStep.ROLLED_BACK, m.step());
        assertNotNull(m.error());
    }

    @Test
    void aFailedNetworkCommitBringsTheVmBack() throws Exception {
        Vm vm = running("mobile");
        mobility.failOn = "commit";
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb")));
        assertEquals(JobState.FAILED, j.state());
        assertTrue(j.error().contains("network commit failed"), j.error());
        assertEquals(a.id(), core.vms.get(vm.name()).host());
        assertEquals(VmState.RUNNING, core.vms.get(vm.name()).state());
        assertEquals(DomainState.RUNNING, driver.state(epA, vm.id()));
        assertEquals(DomainState.MISSING, driver.state(epB, vm.id()));
        assertEquals(List.of("prepare ha>hb", "commit ha>hb", "rollback ha>hb", "release hb"), mobility.calls);
        assertEquals(MigrationStep.ROLLED_BACK, lastMigration(vm).step());
    }

    @ParameterizedTest
    @EnumSource(value = MigrationStep.class, names = { "PREPARING", "MIGRATING", "COMMITTING", "RELEASING" })
    void afterACrashAtAnyStepTheVmRunsOnceWhereTheJournalAndHostsSay(MigrationStep crashAt) throws Exception {
        Vm vm = running("mobile");
        core.saga.setHook(step -> {
            if (step == crashAt) {
                throw new Crash(step);
            }
        });
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb")));
        assertEquals(JobState.FAILED, j.state());
        assertEquals(crashAt, lastMigration(vm).step(), "the journal holds the step the crash interrupted");
        assertEquals(VmState.MIGRATING, core.vms.get(vm.name()).state());
        core.reconciler.reconcileHost(a.id());
        assertEquals(VmState.MIGRATING, core.vms.get(vm.name()).state(), "the reconciler leaves it to recovery");

        core.saga.setHook(step -> { });
        driver.aborts.clear();
        assertEquals(1, core.saga.recoverAll());

        boolean movedBeforeCrash = crashAt.compareTo(MigrationStep.COMMITTING) >= 0;
        assertEquals(movedBeforeCrash ? List.of() : List.of("ha " + vm.id()), driver.aborts,
                "before the switch-over recovery first stops a migration job the source may still run");
        HostEndpoint where = movedBeforeCrash ? epB : epA;
        HostEndpoint other = movedBeforeCrash ? epA : epB;
        Vm after = core.vms.get(vm.name());
        assertEquals(where.hostId(), after.host());
        assertEquals(VmState.RUNNING, after.state());
        assertEquals(DomainState.RUNNING, driver.state(where, vm.id()));
        assertEquals(DomainState.MISSING, driver.state(other, vm.id()));
        assertEquals(movedBeforeCrash ? MigrationStep.DONE : MigrationStep.ROLLED_BACK, lastMigration(vm).step());
        Job settled = core.jobs.get(j.id());
        assertEquals(movedBeforeCrash ? JobState.SUCCEEDED : JobState.FAILED, settled.state(),
                "the job says how recovery ended it: " + settled);
        assertTrue((movedBeforeCrash ? settled.step() : settled.error()).contains("recovery"), settled.toString());
        String last = mobility.calls.get(mobility.calls.size() - 1);
        assertTrue(movedBeforeCrash ? mobility.calls.contains("commit ha>hb") && last.equals("release ha")
                : mobility.calls.contains("rollback ha>hb") && last.equals("release hb"),
                "the network follows the host the vm runs on: " + mobility.calls);
        assertEquals(0, core.saga.recoverAll(), "nothing left to recover");
    }

    @Test
    void aVmFoundRunningAtBothHostsRunsAtOneAfterRecovery() throws Exception {
        Vm vm = running("mobile");
        core.saga.setHook(step -> {
            if (step == MigrationStep.MIGRATING) {
                throw new Crash(step);
            }
        });
        done(core.vms.migrate(USER, vm.name(), to("hb")));
        // As if the hypervisor had started the incoming copy before the controller died.
        driver.define(epB, ((VmServiceImpl) core.vms).spec(vm));
        driver.start(epB, vm.id());
        core.saga.setHook(step -> { });
        core.saga.recoverAll();
        assertEquals(DomainState.RUNNING, driver.state(epA, vm.id()));
        assertEquals(DomainState.MISSING, driver.state(epB, vm.id()));
        assertEquals(a.id(), core.vms.get(vm.name()).host());
    }

    @Test
    void aVmFoundRunningNowhereIsStartedWhereTheJournalSays() throws Exception {
        Vm vm = running("mobile");
        core.saga.setHook(step -> {
            if (step == MigrationStep.MIGRATING) {
                throw new Crash(step);
            }
        });
        done(core.vms.migrate(USER, vm.name(), to("hb")));
        driver.destroy(epA, vm.id());
        core.saga.setHook(step -> { });
        core.saga.recoverAll();
        assertEquals(DomainState.RUNNING, driver.state(epA, vm.id()));
        assertEquals(VmState.RUNNING, core.vms.get(vm.name()).state());
    }

    @Test
    void recoveryWaitsForTheDriver() throws Exception {
        Vm vm = running("mobile");
        core.saga.setHook(step -> {
            if (step == MigrationStep.COMMITTING) {
                throw new Crash(step);
            }
        });
        done(core.vms.migrate(USER, vm.name(), to("hb")));
        core.saga.setHook(step -> { });
        core.drivers.removeHypervisor(driver);
        assertEquals(0, core.saga.recoverAll());
        core.drivers.addHypervisor(driver, new String[] { "test", "0" });
        await().atMost(Duration.ofSeconds(10)).until(() -> lastMigration(vm).step() == MigrationStep.DONE);
        assertEquals(b.id(), core.vms.get(vm.name()).host());
    }

    /** A crash during post-copy: the target runs, the source is paused with pages not yet sent; never destroyed. */
    @Test
    void recoveryWaitsForAPostCopyToEnd() throws Exception {
        Vm vm = crashedMigratingToHbAt(MigrationStep.MIGRATING);
        driver.define(epB, ((VmServiceImpl) core.vms).spec(vm));
        driver.start(epB, vm.id());
        driver.reported.put(a.id() + "/" + vm.id(), DomainState.PAUSED);

        assertEquals(0, core.saga.recoverAll());
        assertEquals(DomainState.RUNNING, driver.real.state(epA, vm.id()), "the post-copy source was left alone");
        assertEquals(DomainState.RUNNING, driver.state(epB, vm.id()));
        assertEquals(MigrationStep.MIGRATING, lastMigration(vm).step());

        // libvirt finishes the post-copy: the source is gone.
        driver.reported.clear();
        driver.real.destroy(epA, vm.id());
        driver.real.undefine(epA, vm.id());
        assertEquals(1, core.saga.recoverAll());
        assertEquals(MigrationStep.DONE, lastMigration(vm).step());
        assertEquals(b.id(), core.vms.get(vm.name()).host());
        assertEquals(VmState.RUNNING, core.vms.get(vm.name()).state());
    }

    /** A restart where the kvm driver is back before the network's mobility backend: recovery tries again itself. */
    @Test
    void recoveryThatCannotFinishYetIsTriedAgainLater() throws Exception {
        Vm vm = crashedMigratingToHbAt(MigrationStep.COMMITTING);
        core.drivers.unbindMobility(mobility);
        core.saga.setRetryDelay(Duration.ofMillis(200));
        core.saga.hypervisorChanged("kvm", true);
        await().atMost(Duration.ofSeconds(10)).until(core.saga::retryScheduled);
        assertEquals(MigrationStep.COMMITTING, lastMigration(vm).step(), "no backend, no recovery");

        core.drivers.addMobility(mobility);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastMigration(vm).step() == MigrationStep.DONE);
        assertEquals(b.id(), core.vms.get(vm.name()).host());
        assertEquals(DomainState.RUNNING, driver.state(epB, vm.id()));
        assertEquals(DomainState.MISSING, driver.state(epA, vm.id()));
        assertTrue(mobility.calls.contains("commit ha>hb"), mobility.calls.toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> !core.saga.retryScheduled());
    }

    /** A running vm whose migration to hb the controller "crashed" in right after journalling {@code step}. */
    private Vm crashedMigratingToHbAt(MigrationStep crashAt) throws Exception {
        Vm vm = running("mobile");
        core.saga.setHook(step -> {
            if (step == crashAt) {
                throw new Crash(step);
            }
        });
        done(core.vms.migrate(USER, vm.name(), to("hb")));
        core.saga.setHook(step -> { });
        return vm;
    }

    private static void assertField(String field, Class<? extends CloudException> type, Runnable call) {
        CloudException e = assertThrows(type, call::run);
        assertEquals(field, e.field(), e.getMessage());
    }
}
