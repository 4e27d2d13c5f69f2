package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.MigrationStep;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.store.CloudStore;

/**
 * The saga's storage steps on the real core and store: hosts on libvirt's test hypervisor, {@link MovingTestDriver}
 * for the migration (its disk copier copies the files of {@link DirStorageBackend}, the test fixture storage, as a
 * copy-storage migration copies disks), crashes played with the saga's step hook as in {@link MigrationSagaTest}.
 */
class StorageMigrationTest extends StorageTestBase {
    private static final byte[] DATA = "written at site A".getBytes(StandardCharsets.US_ASCII);

    Host a;
    Host a2;
    Host b;

    @BeforeEach
    void setUp() throws Exception {
        driver.diskCopier = (source, target, spec) -> spec.disks().forEach(d -> dir.copy(source, target, d.source()));
        core.sites.create(USER, new Requests.SiteCreate("site-a", null));
        core.sites.create(USER, new Requests.SiteCreate("site-b", null));
        a = host("ha", "site-a");
        a2 = host("ha2", "site-a");
        b = host("hb", "site-b");
        diskImage("debian", "/var/tmp/debian.qcow2", "qcow2", 4 * MIB);
        core.pools.create(USER, new Requests.PoolCreate("local-a", "site-a", "dir", Map.of("path", "/pools")));
        core.pools.create(USER, new Requests.PoolCreate("local-b", "site-b", "dir", Map.of("path", "/pools")));
        core.pools.create(USER, new Requests.PoolCreate("wide", null, "shared", Map.of()));
    }

    /** A running VM at host ha whose root volume (in {@code pool}) holds {@link #DATA} at 1 MiB. */
    private Vm running(String pool) throws Exception {
        String name = "vm-" + UUID.randomUUID().toString().substring(0, 8);
        Job j = done(core.vms.create(USER, new Requests.VmCreate(name, "ha", null, 1, 64L, "debian", List.of(), true,
                pool, null, null)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Vm vm = core.vms.get(name);
        Volume root = core.volumes.get(vm.id());
        try (RandomAccessFile f = new RandomAccessFile(file(root).toFile(), "rw")) {
            f.seek(MIB);
            f.write(DATA);
        }
        dir.calls.clear();
        shared.calls.clear();
        return vm;
    }

    private Path file(Volume v) {
        if (v.host() == null) {
            return shared.file(null, v.key());
        }
        return dir.file(Endpoints.of(store.host(v.host()).orElseThrow()), v.key());
    }

    private static String dataAt(Path f) throws Exception {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            byte[] got = new byte[DATA.length];
            r.seek(MIB);
            r.readFully(got);
            return new String(got, StandardCharsets.US_ASCII);
        }
    }

    private static Requests.VmMigrate to(String host, Boolean copyStorage) {
        return new Requests.VmMigrate(host, null, null, null, null, null, copyStorage, null);
    }

    private List<Volume> volumes() {
        return store.volumes(PageRequest.all(), new CloudStore.VolumeFilter(null, null, null)).items();
    }

    @Test
    void aSiteLocalDiskMovesToAPoolOfTheTargetSiteWithItsData() throws Exception {
        Vm vm = running("local-a");
        Volume before = core.volumes.get(vm.id());
        Path atA = file(before);

        Job j = done(core.vms.migrate(USER, vm.name(), to("hb", null)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        assertEquals(List.of(true), driver.copyStorageSeen, "copy storage is implied by a host-local disk");
        assertEquals("create " + vm.id() + " hb", dir.calls.get(0), "the target volume is made before the migration");
        Volume after = core.volumes.get(vm.id());
        assertEquals(b.id(), after.host());
        assertEquals(store.poolByName("local-b").orElseThrow().id(), after.pool());
        assertEquals(before.key(), after.key(), "the disk keeps its path");
        assertEquals(vm.id(), after.vm());
        assertEquals(new String(DATA, StandardCharsets.US_ASCII), dataAt(file(after)), "the data written at site A");
        assertFalse(Files.exists(atA), "the source volume is removed");
        assertEquals(1, volumes().size(), "no copy row is left");
        assertTrue(core.jobs.get(j.id()).step().endsWith(", 1 disk copied (4.0 MiB volume)"), core.jobs.get(j.id()).step());
        assertEquals(DomainState.RUNNING, driver.state(Endpoints.of(b), vm.id()));
        assertEquals(List.of(after.key()), driver.defined(vm.id()).disks().stream().map(d -> d.source()).toList());
    }

    @Test
    void withinTheSiteTheDiskStaysInItsPoolOnTheNewHost() throws Exception {
        Vm vm = running("local-a");
        Job j = done(core.vms.migrate(USER, vm.name(), to("ha2", null)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Volume after = core.volumes.get(vm.id());
        assertEquals(a2.id(), after.host());
        assertEquals(store.poolByName("local-a").orElseThrow().id(), after.pool());
        assertEquals(new String(DATA, StandardCharsets.US_ASCII), dataAt(file(after)));
    }

    @Test
    void aWideAreaDiskNeedsNothing() throws Exception {
        Vm vm = running("wide");
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb", null)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        assertEquals(List.of(false), driver.copyStorageSeen);
        assertTrue(shared.calls.stream().noneMatch(c -> c.startsWith("create") || c.startsWith("delete")), shared.calls.toString());
        assertFalse(core.jobs.get(j.id()).step().contains("copied"));
        assertEquals(new String(DATA, StandardCharsets.US_ASCII), dataAt(file(core.volumes.get(vm.id()))));
    }

    @Test
    void aDiskThatCannotFollowIsRefusedBeforeAnythingChanges() throws Exception {
        Vm vm = running("local-a");
        ConflictException e = assertThrows(ConflictException.class,
                () -> core.vms.migrate(USER, vm.name(), to("hb", false)));
        assertEquals("copyStorage", e.field());
        core.pools.update(USER, "local-b", new Requests.PoolUpdate(null, "MAINTENANCE", null, null));
        e = assertThrows(ConflictException.class, () -> core.vms.migrate(USER, vm.name(), to("hb", null)));
        assertEquals("host", e.field());
        assertTrue(e.getMessage().contains("no active pool of backend 'dir'"), e.getMessage());
        assertEquals(VmState.RUNNING, core.vms.get(vm.name()).state());
        assertEquals(List.of(), dir.calls);
        assertEquals(0, store.migrations(PageRequest.all(), vm.id()).total());
    }

    @Test
    void sharedDisksAreNeverCopiedOntoThemselves() throws Exception {
        Vm vm = running("local-a");
        Job stopped = done(core.vms.destroy(USER, vm.name()));
        assertEquals(JobState.SUCCEEDED, stopped.state(), stopped.error());
        core.volumes.create(USER, new Requests.VolumeCreate("shared-data", "wide", null, MIB, null, null));
        core.volumes.attach(USER, "shared-data", new Requests.VolumeAttach(vm.name()));
        assertEquals(JobState.SUCCEEDED, done(core.vms.start(USER, vm.name())).state());
        ConflictException e = assertThrows(ConflictException.class,
                () -> core.vms.migrate(USER, vm.name(), to("hb", null)));
        assertEquals("host", e.field());
        assertTrue(e.getMessage().contains("1 disk(s) on storage both hosts reach"), e.getMessage());

        Vm wide = running("wide");
        e = assertThrows(ConflictException.class, () -> core.vms.migrate(USER, wide.name(), to("hb", true)));
        assertEquals("copyStorage", e.field());
        assertEquals(List.of(), driver.copyStorageSeen);
    }

    @Test
    void aFailedMigrationRemovesTheTargetVolumeAndKeepsTheSource() throws Exception {
        Vm vm = running("local-a");
        Volume before = core.volumes.get(vm.id());
        driver.failMigrate = new DriverException("target refused (injected)", null);
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb", null)));
        assertEquals(JobState.FAILED, j.state());
        assertEquals(List.of("create " + vm.id() + " hb", "delete " + vm.id() + " hb"), dir.calls);
        assertFalse(Files.exists(dir.file(Endpoints.of(b), before.key())));
        assertEquals(before, core.volumes.get(vm.id()), "the record is unchanged");
        assertEquals(new String(DATA, StandardCharsets.US_ASCII), dataAt(file(before)));
        assertEquals(1, volumes().size());
    }

    @Test
    void aCopyThatCouldNotBeMadeIsNotLookedForByTheSourcesId() throws Exception {
        Vm vm = running("local-a");
        Volume before = core.volumes.get(vm.id());
        dir.failCreate = new DriverException("no space left (injected)", null);
        Job j = done(core.vms.migrate(USER, vm.name(), to("hb", null)));
        assertEquals(JobState.FAILED, j.state());
        assertTrue(j.error().contains("no space left"), j.error());
        assertEquals(List.of("create " + vm.id() + " hb"), dir.calls, "no delete by the source's id anywhere");
        assertEquals(before, core.volumes.get(vm.id()));
        assertEquals(new String(DATA, StandardCharsets.US_ASCII), dataAt(file(before)));
        assertEquals(1, volumes().size());
        assertEquals(VmState.RUNNING, core.vms.get(vm.name()).state());
    }

    @ParameterizedTest
    @EnumSource(value = MigrationStep.class, names = { "MIGRATING", "COMMITTING", "RELEASING" })
    void afterACrashTheDiskIsWhereTheVmRuns(MigrationStep crashAt) throws Exception {
        Vm vm = running("local-a");
        Volume before = core.volumes.get(vm.id());
        core.saga.setHook(step -> {
            if (step == crashAt) {
                throw new MigrationSagaTest.Crash(step);
            }
        });
        assertEquals(JobState.FAILED, done(core.vms.migrate(USER, vm.name(), to("hb", null))).state());
        assertEquals(2, volumes().size(), "the copy's row is journalled");
        assertEquals(0, core.volumeStore.recover(), "volume recovery leaves a migration's disks to the saga");
        core.saga.setHook(step -> { });
        assertEquals(1, core.saga.recoverAll());

        boolean moved = crashAt.compareTo(MigrationStep.COMMITTING) >= 0;
        Volume after = core.volumes.get(vm.id());
        HostEndpoint runs = Endpoints.of(moved ? b : a);
        HostEndpoint left = Endpoints.of(moved ? a : b);
        assertEquals(runs.hostId(), after.host());
        assertEquals(runs.hostId(), core.vms.get(vm.name()).host());
        assertTrue(Files.exists(dir.file(runs, before.key())));
        assertFalse(Files.exists(dir.file(left, before.key())), "the other copy is removed");
        assertEquals(1, volumes().size());
        assertEquals(0, core.saga.recoverAll());
    }
}
