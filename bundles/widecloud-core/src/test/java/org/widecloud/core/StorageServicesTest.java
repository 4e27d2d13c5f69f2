package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.store.CloudStore;

/**
 * Pools and volumes on the real core and store (H2), hosts on libvirt's test hypervisor, and
 * {@link DirStorageBackend} (a test fixture keeping volumes as files in a temporary folder) as the storage:
 * {@code dir} is host-local, {@code shared} reached by every host.
 */
class StorageServicesTest extends StorageTestBase {

    Host h1;
    Host h2;
    Host h3;

    @BeforeEach
    void setUp() throws Exception {
        core.sites.create(USER, new Requests.SiteCreate("site-a", null));
        core.sites.create(USER, new Requests.SiteCreate("site-b", null));
        h1 = host("h1", "site-a");
        h2 = host("h2", "site-a");
        h3 = host("h3", "site-b");
        core.images.create(USER, new Requests.ImageCreate("tiny", null, null, "/var/tmp/vmlinuz", "/var/tmp/initrd", null));
        diskImage("debian", "/var/tmp/debian.qcow2", "qcow2", 64 * MIB);
    }

    private Pool localPool(String name, long capacity) {
        return core.pools.create(USER, new Requests.PoolCreate(name, "site-a", "dir",
                Map.of("capacity", String.valueOf(capacity), "secret", "chap-secret-1234")));
    }

    private Path fileOf(Volume v) {
        Host h = v.host() == null ? null : store.host(v.host()).orElseThrow();
        DirStorageBackend b = v.host() == null ? shared : dir;
        return b.file(h == null ? null : Endpoints.of(h), v.key());
    }

    /** The start of a (large, sparse) volume file. */
    private static String firstLine(Path f) throws java.io.IOException {
        try (var r = Files.newBufferedReader(f)) {
            return r.readLine();
        }
    }

    private static <T extends CloudException> T refused(Class<T> type, String field, org.junit.jupiter.api.function.Executable call) {
        T e = assertThrows(type, call);
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    // --- pools ---

    @Test
    void aHostLocalPoolOpensOnEveryUpHostOfItsSiteAndNeverShowsItsSecret() {
        Pool p = localPool("fast", 100 * MIB);
        assertEquals(List.of("open fast h1", "open fast h2"), dir.calls.stream().sorted().toList());
        assertEquals(200 * MIB, p.capacityBytes(), "the sum of the site's hosts");
        assertEquals(PoolState.ACTIVE, p.state());
        assertEquals(Pools.MASK, p.parameters().get("secret"));
        assertEquals("104857600", p.parameters().get("capacity"));
        assertEquals(Pools.MASK, core.pools.get("fast").parameters().get("secret"));
        assertEquals(Pools.MASK, core.pools.list(PageRequest.all(), "site-a").items().get(0).parameters().get("secret"));
        assertEquals("chap-secret-1234", store.poolByName("fast").orElseThrow().parameters().get("secret"),
                "the store keeps it for the backend");
        Pool renamed = core.pools.update(USER, "fast", new Requests.PoolUpdate("quick", null, null, null));
        assertEquals(Pools.MASK, renamed.parameters().get("secret"));
        assertTrue(core.auditService().list(PageRequest.all(), p.id()).items().stream()
                .noneMatch(a -> String.valueOf(a.detail()).contains("chap-secret")), "nor does the audit log");
    }

    @Test
    void badPoolsAreRefusedAndNothingIsStored() {
        refused(ValidationException.class, "site", () -> core.pools.create(USER,
                new Requests.PoolCreate("p", null, "dir", Map.of())));
        refused(ValidationException.class, "parameters.capacity", () -> core.pools.create(USER,
                new Requests.PoolCreate("p", "site-a", "dir", Map.of("capacity", "lots"))));
        refused(ValidationException.class, "name", () -> core.pools.create(USER,
                new Requests.PoolCreate("../p", "site-a", "dir", Map.of())));
        refused(ValidationException.class, "site", () -> core.pools.create(USER,
                new Requests.PoolCreate("p", "nowhere", "dir", Map.of())));
        assertThrows(DriverMissingException.class, () -> core.pools.create(USER,
                new Requests.PoolCreate("p", "site-a", "iscsi", Map.of())));
        dir.failOpen = new DriverException("permission denied (injected)", null);
        CloudException e = assertThrows(CloudException.class, () -> localPool("p", MIB));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        assertEquals(0, store.pools(PageRequest.all(), null).total());
    }

    @Test
    void poolStateParametersAndDeletionFollowItsVolumes() {
        Pool p = localPool("fast", 100 * MIB);
        core.pools.update(USER, "fast", new Requests.PoolUpdate(null, "MAINTENANCE", null, null));
        refused(ConflictException.class, "pool", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v1", "fast", null, MIB, null, null)));
        refused(ValidationException.class, "state", () -> core.pools.update(USER, "fast",
                new Requests.PoolUpdate(null, "UNAVAILABLE", null, null)));
        core.pools.update(USER, "fast", new Requests.PoolUpdate(null, "active", null, null));
        Volume v = core.volumes.create(USER, new Requests.VolumeCreate("v1", "fast", "h2", 8 * MIB, null, null));
        refused(ConflictException.class, "parameters", () -> core.pools.update(USER, "fast",
                new Requests.PoolUpdate(null, null, Map.of("capacity", "1000"), null)));
        refused(ConflictException.class, "pool", () -> core.pools.delete(USER, "fast"));
        Pool refreshed = core.pools.refresh(USER, "fast");
        assertEquals(8 * MIB, refreshed.usedBytes());
        core.volumes.delete(USER, v.name());
        // With the pool empty its parameters change; a masked secret given back keeps the stored one.
        Pool changed = core.pools.update(USER, "fast", new Requests.PoolUpdate(null, null,
                Map.of("capacity", String.valueOf(50 * MIB), "secret", Pools.MASK), null));
        assertEquals(100 * MIB, changed.capacityBytes());
        assertEquals("chap-secret-1234", store.pool(p.id()).orElseThrow().parameters().get("secret"));
        dir.calls.clear();
        core.pools.delete(USER, "fast");
        assertTrue(store.pool(p.id()).isEmpty());
        assertEquals(List.of("close fast h1", "close fast h2"), dir.calls, "deleting closes it on the hosts");
    }

    @Test
    void sitesWithPoolsAndHostsWithVolumesAreNotDeleted() {
        localPool("fast", 100 * MIB);
        Volume v = core.volumes.create(USER, new Requests.VolumeCreate("v1", "fast", "h2", MIB, null, null));
        core.pools.create(USER, new Requests.PoolCreate("b-pool", "site-b", "dir", Map.of()));
        refused(ConflictException.class, "host", () -> core.hosts.delete(USER, "h2"));
        assertTrue(store.host(h2.id()).isPresent());
        core.volumes.delete(USER, v.name());
        core.hosts.delete(USER, "h2");
        core.hosts.delete(USER, "h3");
        refused(ConflictException.class, "site", () -> core.sites.delete(USER, "site-b"));
        core.pools.delete(USER, "b-pool");
        core.sites.delete(USER, "site-b");
    }

    @Test
    void sharedPoolsAreOpenedAgainWhenTheirBackendArrivesAndByRefresh() {
        core.pools.create(USER, new Requests.PoolCreate("wide", null, "shared", Map.of()));
        core.pools.create(USER, new Requests.PoolCreate("fast", "site-a", "dir", Map.of()));
        shared.calls.clear();
        dir.calls.clear();
        // the backend comes back (bundle restart, controller start): its shared pools are opened again, in the
        // background; host-local ones are the hosts' (libvirt autostarts them)
        core.drivers.addStorage(shared);
        core.drivers.addStorage(dir);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> shared.calls.contains("open wide"));
        assertTrue(dir.calls.stream().noneMatch(c -> c.startsWith("open")), dir.calls.toString());
        shared.calls.clear();
        core.pools.refresh(USER, "wide");
        assertEquals(List.of("open wide"), shared.calls, "refresh opens a shared pool again (heals lost exports)");
    }

    // --- volumes ---

    @Test
    void aBlankVolumeIsAFileOnTheHostWithMostRoomAndGoesAway() {
        localPool("fast", 100 * MIB);
        Volume v = core.volumes.create(USER, new Requests.VolumeCreate("data", "fast", "h2", 10 * MIB, null, null));
        assertEquals(VolumeState.AVAILABLE, v.state());
        assertEquals(h2.id(), v.host());
        assertEquals("qcow2", v.format());
        assertEquals(10 * MIB, fileOf(v).toFile().length());
        // h1 has more room now: the next volume without a host goes there.
        Volume w = core.volumes.create(USER, new Requests.VolumeCreate("more", "fast", null, MIB, "raw", null));
        assertEquals(h1.id(), w.host());
        assertEquals(11 * MIB, store.poolByName("fast").orElseThrow().usedBytes(), "re-measured after each change");
        Volume grown = core.volumes.resize(USER, "data", new Requests.VolumeResize(20 * MIB, null));
        assertEquals(20 * MIB, grown.sizeBytes());
        assertEquals(20 * MIB, fileOf(v).toFile().length());
        core.volumes.delete(USER, "data");
        assertFalse(Files.exists(fileOf(v)));
        assertTrue(store.volumeByName("data").isEmpty());
        assertEquals(List.of("more"), core.volumes.list(PageRequest.all(), "fast", null).items().stream()
                .map(Volume::name).toList());
    }

    @Test
    void badVolumesAreRefusedNamingTheFieldAndLeaveNothing() {
        localPool("fast", 100 * MIB);
        core.pools.create(USER, new Requests.PoolCreate("wide", null, "shared", Map.of("capacity", String.valueOf(MIB))));
        refused(ValidationException.class, "sizeBytes", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", null, 0L, null, null)));
        refused(ValidationException.class, "sizeBytes", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", null, null, null, null)));
        refused(ValidationException.class, "sizeBytes", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", null, 300 * MIB, null, null)));
        refused(ValidationException.class, "format", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", null, MIB, "vmdk", null)));
        refused(ValidationException.class, "image", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", null, MIB, null, "tiny")));
        refused(ValidationException.class, "sizeBytes", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", null, MIB, null, "debian")));
        refused(ValidationException.class, "host", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", "h3", MIB, null, null)));
        refused(ValidationException.class, "host", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "wide", "h1", MIB, null, null)));
        refused(ValidationException.class, "pool", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "nopool", null, MIB, null, null)));
        refused(ValidationException.class, "name", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("../etc", "fast", null, MIB, null, null)));
        // 100 MiB per host: 90 fit on h1, then 20 more do not fit there.
        core.volumes.create(USER, new Requests.VolumeCreate("big", "fast", "h1", 90 * MIB, null, null));
        refused(ConflictException.class, "sizeBytes", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", "h1", 20 * MIB, null, null)));
        refused(ConflictException.class, "name", () -> core.volumes.create(USER,
                new Requests.VolumeCreate("big", "fast", "h2", MIB, null, null)));
        refused(ValidationException.class, "sizeBytes", () -> core.volumes.resize(USER, "big",
                new Requests.VolumeResize(MIB, null)));
        dir.failCreate = new DriverException("disk full (injected)", null);
        CloudException e = assertThrows(CloudException.class, () -> core.volumes.create(USER,
                new Requests.VolumeCreate("v", "fast", "h2", MIB, null, null)));
        assertEquals(502, e.status());
        assertEquals(List.of("big"), store.volumes(PageRequest.all(), new CloudStore.VolumeFilter(null, null, null))
                .items().stream().map(Volume::name).toList());
    }

    @Test
    void aVolumeFromAnImageNamesItsBackingImage() throws Exception {
        localPool("fast", 100 * MIB);
        Volume v = core.volumes.create(USER, new Requests.VolumeCreate("os", "fast", null, null, null, "debian"));
        assertEquals(64 * MIB, v.sizeBytes(), "the image's virtual size");
        assertEquals("backing /var/tmp/debian.qcow2", firstLine(fileOf(v)));
        assertEquals(store.imageByName("debian").orElseThrow().id(), v.image());
    }

    @Test
    void attachingNeedsAStoppedVmOnAHostThatReachesTheVolume() throws Exception {
        localPool("fast", 100 * MIB);
        Volume onH1 = core.volumes.create(USER, new Requests.VolumeCreate("d1", "fast", "h1", MIB, null, null));
        Volume onH2 = core.volumes.create(USER, new Requests.VolumeCreate("d2", "fast", "h2", MIB, null, null));
        Job j = done(core.vms.create(USER, new Requests.VmCreate("vm1", "h1", null, 1, 64L, "tiny", List.of(), false)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        refused(ConflictException.class, "vm", () -> core.volumes.attach(USER, "d2", new Requests.VolumeAttach("vm1")));
        Volume attached = core.volumes.attach(USER, "d1", new Requests.VolumeAttach("vm1"));
        assertEquals(VolumeState.IN_USE, attached.state());
        assertEquals(List.of(onH1.key()), driver.defined(j.target()).disks().stream().map(d -> d.source()).toList(),
                "the domain was redefined with the disk");
        refused(ConflictException.class, "vm", () -> core.volumes.delete(USER, "d1"));
        refused(ConflictException.class, "vm", () -> core.volumes.attach(USER, "d1", new Requests.VolumeAttach("vm1")));
        assertEquals(JobState.SUCCEEDED, done(core.vms.start(USER, "vm1")).state());
        refused(ConflictException.class, "vm", () -> core.volumes.detach(USER, "d1"));
        assertEquals(JobState.SUCCEEDED, done(core.vms.destroy(USER, "vm1")).state());
        Volume detached = core.volumes.detach(USER, "d1");
        assertNull(detached.vm());
        assertTrue(driver.defined(j.target()).disks().isEmpty());
        core.volumes.delete(USER, "d1");
        assertEquals(onH2.id(), core.volumes.get("d2").id());
    }

    @Test
    void recoveryFinishesWhatAStoppedControllerLeft() throws Exception {
        Pool p = localPool("fast", 100 * MIB);
        // A create that stopped after the backend made the file, and a delete that stopped before it removed it.
        Volume creating = new Volume(UUID.randomUUID().toString(), "half", p.id(), h1.id(), MIB, "qcow2", null, null,
                null, VolumeState.CREATING, Instant.now(), 0);
        store.insertVolume(creating);
        Path halfFile = dir.file(Endpoints.of(h1), "/pools/" + p.id() + "/" + creating.id() + ".qcow2");
        Files.createDirectories(halfFile.getParent());
        Files.writeString(halfFile, "partial");
        Volume deleting = core.volumes.create(USER, new Requests.VolumeCreate("gone", "fast", "h1", MIB, null, null));
        store.updateVolume(Volumes.with(deleting, VolumeState.DELETING, null));
        Volume fine = core.volumes.create(USER, new Requests.VolumeCreate("fine", "fast", "h1", MIB, null, null));

        assertEquals(2, core.volumeStore.recover());
        assertFalse(Files.exists(halfFile));
        assertFalse(Files.exists(fileOf(deleting)));
        assertTrue(Files.exists(fileOf(fine)));
        assertEquals(List.of("fine"), store.volumes(PageRequest.all(), new CloudStore.VolumeFilter(null, null, null))
                .items().stream().map(Volume::name).toList());
        assertEquals(0, core.volumeStore.recover(), "nothing left to do");
    }

    // --- VM disks ---

    private Job createVm(String name, String host, String image, String pool, Integer diskGiB, List<String> volumes)
            throws InterruptedException {
        return done(core.vms.create(USER, new Requests.VmCreate(name, host, null, 1, 64L, image, List.of(), false, pool,
                diskGiB, volumes)));
    }

    @Test
    void aVmInAPoolBootsFromItsOwnCopyOnWriteRootVolumeAndLosesItAtDelete() throws Exception {
        localPool("fast", 2048 * MIB);
        Volume data = core.volumes.create(USER, new Requests.VolumeCreate("data", "fast", "h2", MIB, null, null));
        Job j = createVm("web", null, "debian", "fast", 1, List.of("data"));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Vm vm = core.vms.get("web");
        assertEquals(h2.id(), vm.host(), "placed where its host-local volume lives");
        Volume root = core.volumes.get(vm.id());
        assertEquals("web-root", root.name());
        assertEquals(VolumeState.IN_USE, root.state());
        assertEquals(vm.id(), root.vm());
        assertEquals(1024 * MIB, root.sizeBytes(), "diskGiB grows it beyond the image's 64 MiB");
        assertEquals("backing /var/tmp/debian.qcow2", firstLine(fileOf(root)));
        assertEquals(vm.id(), core.volumes.get("data").vm());
        var spec = driver.defined(vm.id());
        assertEquals(List.of(root.key(), data.key()), spec.disks().stream().map(d -> d.source()).toList(),
                "root first, then the attached volume; the shared image file is not a disk any more");
        assertFalse(spec.disks().get(0).readOnly());
        assertEquals(VolumeState.IN_USE, core.volumes.list(PageRequest.all(), null, "web").items().get(0).state());

        assertEquals(JobState.SUCCEEDED, done(core.vms.delete(USER, "web")).state());
        assertTrue(store.volume(root.id()).isEmpty());
        assertFalse(Files.exists(fileOf(root)));
        Volume kept = core.volumes.get("data");
        assertNull(kept.vm());
        assertEquals(VolumeState.AVAILABLE, kept.state());
    }

    @Test
    void aKernelVmGetsABlankRootDiskAndAVmWithoutPoolKeepsTheImageFile() throws Exception {
        localPool("fast", 1024 * MIB);
        refused(ValidationException.class, "diskGiB", () -> core.vms.create(USER, new Requests.VmCreate("k", null,
                null, 1, 64L, "tiny", List.of(), false, "fast", null, null)));
        refused(ValidationException.class, "diskGiB", () -> core.vms.create(USER, new Requests.VmCreate("k", null,
                null, 1, 64L, "debian", List.of(), false, null, 2, null)));
        Job j = createVm("k", "h1", "tiny", "fast", 1, null);
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Volume root = core.volumes.get(j.target());
        assertEquals(0, Files.newInputStream(fileOf(root)).read(), "blank: no backing image");
        assertTrue(driver.defined(j.target()).boot().isKernel());
        assertEquals(1, driver.defined(j.target()).disks().size());

        Job plain = createVm("plain", "h1", "debian", null, null, null);
        assertEquals(JobState.SUCCEEDED, plain.state(), plain.error());
        var disk = driver.defined(plain.target()).disks().get(0);
        assertEquals("/var/tmp/debian.qcow2", disk.source());
        assertTrue(disk.readOnly(), "the first slice's shared image, read-only");
    }

    @Test
    void storageDecidesWhereTheVmMayRunAndAFailedCreateLeavesNothing() throws Exception {
        core.pools.create(USER, new Requests.PoolCreate("b-local", "site-b", "dir", Map.of()));
        refused(ConflictException.class, "host", () -> core.vms.create(USER, new Requests.VmCreate("x", "h1", null, 1,
                64L, "debian", List.of(), false, "b-local", null, null)));
        Job j = createVm("x", null, "debian", "b-local", null, null);
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        assertEquals(h3.id(), core.vms.get("x").host(), "placed in the pool's site");

        localPool("fast", 1024 * MIB);
        Volume data = core.volumes.create(USER, new Requests.VolumeCreate("data", "fast", "h1", MIB, null, null));
        refused(ConflictException.class, "volumes", () -> core.vms.create(USER, new Requests.VmCreate("y", null, null,
                1, 64L, "debian", List.of(), false, null, null, List.of("data", "x-root"))));
        dir.failCreate = new DriverException("disk full (injected)", null);
        Job failed = createVm("y", null, "debian", "fast", null, List.of("data"));
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.error().contains("disk full"), failed.error());
        assertTrue(store.vm(failed.target()).isEmpty());
        assertTrue(store.volume(failed.target()).isEmpty());
        assertEquals(VolumeState.AVAILABLE, core.volumes.get(data.id()).state());
        assertNull(core.volumes.get(data.id()).vm());
    }

    @Test
    void aVmCreateStoppedBeforeItsDomainWasDefinedLosesItsRootVolumeAndThenTheVm() throws Exception {
        localPool("fast", 1024 * MIB);
        Job j = createVm("half", "h1", "debian", "fast", null, null);
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Vm vm = core.vms.get("half");
        Volume root = core.volumes.get(vm.id());
        // Play the controller stopping after the root volume was made and before the domain was defined.
        driver.undefine(Endpoints.of(h1), vm.id());
        // The reconciler hears of the undefine too: write the journal state after it settled.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            store.updateVm(store.vm(vm.id()).orElseThrow().withState(org.widecloud.api.model.VmState.CREATING, null));
            return true;
        });

        assertEquals(1, core.volumeStore.recover());
        assertTrue(store.volume(root.id()).isEmpty());
        assertFalse(Files.exists(fileOf(root)));
        core.reconciler.reconcileHost(h1.id());
        assertTrue(store.vm(vm.id()).isEmpty(), "the reconciler removes the VM once its disks are gone");
    }

    @Test
    void aVmDeleteStoppedHalfWayLosesItsRootVolumeKeepsTheOthersAndThenGoes() throws Exception {
        localPool("fast", 1024 * MIB);
        core.volumes.create(USER, new Requests.VolumeCreate("kept", "fast", "h1", MIB, null, null));
        Job j = createVm("going", "h1", "debian", "fast", null, List.of("kept"));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        Volume root = core.volumes.get(j.target());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            store.updateVm(store.vm(j.target()).orElseThrow().withState(org.widecloud.api.model.VmState.DELETING,
                    "being deleted"));
            return true;
        });

        assertEquals(2, core.volumeStore.recover());
        assertTrue(store.volume(root.id()).isEmpty());
        assertFalse(Files.exists(fileOf(root)));
        assertNull(core.volumes.get("kept").vm());
        core.reconciler.reconcileHost(h1.id());
        assertTrue(store.vm(j.target()).isEmpty(), "the reconciler finishes the delete once the disks are settled");
    }
}
