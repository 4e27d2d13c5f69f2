package org.widecloud.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.StorageBackend.PoolRef;
import org.widecloud.api.spi.StorageBackend.PoolStatus;
import org.widecloud.api.spi.StorageBackend.VolumeRef;
import org.widecloud.api.spi.StorageBackend.VolumeRequest;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.LibvirtStoragePools;
import org.widecloud.driver.libvirt.LibvirtStoragePools.VolumeInfo;
import org.widecloud.driver.libvirt.TestCommands;
import org.widecloud.driver.libvirt.TestEnvironment;

/**
 * The local backend on libvirt's test hypervisor ({@code test:///default}): pools and volumes are real libvirt
 * objects there (in memory, no files). That hypervisor copies volumes only within one pool and cannot upload or
 * resize: an image there is a volume of the pool itself, or a file here that becomes a base of its size without data
 * (see {@link LocalStorageLibvirtdTest} for the real copy).
 */
class LocalStorageBackendTest {
    private static final HostEndpoint HOST = new HostEndpoint("h-1", "test-host", "test:///default");
    private final LibvirtStoragePools libvirt = new LibvirtStoragePools();
    private final LocalStorageBackend backend = new LocalStorageBackend(libvirt);
    private PoolRef pool;
    private String lvPool;

    @BeforeEach
    void pool() {
        pool = new PoolRef(UUID.randomUUID().toString(), "pool-" + UUID.randomUUID().toString().substring(0, 6),
                "site-1", Map.of());
        lvPool = "wc-" + pool.poolId().substring(0, 8);
    }

    @AfterEach
    void cleanUp() {
        if (libvirt.poolExists(HOST, lvPool)) {
            libvirt.volumes(HOST, lvPool).forEach(v -> libvirt.deleteVolume(HOST, lvPool, v.name()));
            libvirt.removePool(HOST, lvPool, false);
        }
        backend.deactivate();
    }

    @Test
    void openMakesTheHostsDirPoolAtTheDefaultPath() {
        assertEquals("local", backend.type());
        assertTrue(backend.hostLocal());
        PoolStatus s = backend.open(pool, HOST);
        assertTrue(s.capacityBytes() > 0);
        LibvirtStoragePools.PoolInfo info = libvirt.pool(HOST, lvPool);
        assertEquals("/var/lib/widecloud/pools/" + pool.name(), info.path());
        assertTrue(info.active() && info.autostart());
        assertEquals(s, backend.open(pool, HOST), "idempotent");
        assertEquals(s.capacityBytes(), backend.status(pool, HOST).capacityBytes());
        // Renamed in widecloud: the host's pool keeps its directory.
        backend.open(new PoolRef(pool.poolId(), "renamed", pool.siteId(), Map.of()), HOST);
        assertEquals("/var/lib/widecloud/pools/" + pool.name(), libvirt.pool(HOST, lvPool).path());
        backend.close(pool, HOST);
        assertFalse(libvirt.poolExists(HOST, lvPool), "closing undefines the host's pool");
        backend.close(pool, HOST); // again: nothing there, no error
    }

    @Test
    void aNewPathMovesAnEmptyPoolOnly() {
        backend.open(pool, HOST);
        backend.open(withPath("/srv/widecloud/moved"), HOST);
        assertEquals("/srv/widecloud/moved", libvirt.pool(HOST, lvPool).path());
        backend.createVolume(withPath("/srv/widecloud/moved"), HOST, request(1 << 20, "raw"));
        DriverException e = assertThrows(DriverException.class, () -> backend.open(withPath("/srv/other"), HOST));
        assertTrue(e.getMessage().startsWith("pool: "), e.getMessage());
        assertEquals("/srv/widecloud/moved", libvirt.pool(HOST, lvPool).path());
    }

    @Test
    void blankVolumeIsAFileNamedByItsIdAttachedAsAFileDisk() {
        backend.open(pool, HOST);
        String id = UUID.randomUUID().toString();
        VolumeRef v = backend.createVolume(pool, HOST, new VolumeRequest(id, 8 << 20, "raw", null, null));
        assertEquals("/var/lib/widecloud/pools/" + pool.name() + "/" + id, v.key());
        assertEquals(8 << 20, v.sizeBytes());
        assertEquals("raw", v.format());
        assertEquals(VmSpec.Disk.file(v.key(), "raw", false), backend.attachInfo(pool, v, HOST));
        backend.deleteVolume(pool, HOST, v);
        assertTrue(libvirt.volume(HOST, lvPool, id).isEmpty());
        backend.deleteVolume(pool, HOST, v); // already gone: no error
    }

    @Test
    void volumesFromAnImageAreOverlaysOnOneBaseThatGoesWithTheLastOverlay() {
        backend.open(pool, HOST);
        String image = libvirt.createVolume(HOST, lvPool, "image", 4 << 20, "qcow2").path();
        VolumeRef a = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 16 << 20,
                null, image, "qcow2"));
        VolumeRef b = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 0,
                "qcow2", image, "qcow2"));
        assertEquals("qcow2", a.format());
        assertEquals(16 << 20, a.sizeBytes());
        assertEquals(4 << 20, b.sizeBytes(), "size 0: the image's size");
        VolumeInfo ia = libvirt.volume(HOST, lvPool, a.volumeId()).orElseThrow();
        VolumeInfo ib = libvirt.volume(HOST, lvPool, b.volumeId()).orElseThrow();
        assertTrue(ia.backingPath().startsWith("/var/lib/widecloud/pools/" + pool.name() + "/base-"), ia.toString());
        assertEquals(ia.backingPath(), ib.backingPath(), "one base per image");
        assertEquals(4, libvirt.volumes(HOST, lvPool).size(), "image, base, two overlays");

        backend.deleteVolume(pool, HOST, a);
        assertTrue(libvirt.volumes(HOST, lvPool).stream().anyMatch(v -> v.path().equals(ib.backingPath())),
                "still used by b");
        backend.deleteVolume(pool, HOST, b);
        assertEquals(1, libvirt.volumes(HOST, lvPool).size(), "only the image is left");
    }

    @Test
    void anImageFileOnThisMachineGivesAnOverlayOfItsSize(@TempDir Path tmp) throws Exception {
        TestEnvironment.require(Files.isExecutable(Path.of("/usr/bin/qemu-img")),
                "qemu-img is missing (apt-get install qemu-utils)");
        Path image = tmp.resolve("tiny.qcow2");
        TestCommands.run("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "40M");
        backend.open(pool, HOST);
        VolumeRef v = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 0, null,
                image.toString(), "qcow2"));
        assertEquals(40L << 20, v.sizeBytes());
        assertEquals("/var/lib/widecloud/pools/" + pool.name() + "/" + LocalStorageBackend.baseName(image),
                libvirt.volume(HOST, lvPool, v.volumeId()).orElseThrow().backingPath());
    }

    @Test
    void volumesOfOneImageCreatedAtOnceShareOneBase() throws Exception {
        backend.open(pool, HOST);
        String image = libvirt.createVolume(HOST, lvPool, "image", 4 << 20, "qcow2").path();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<VolumeRef>> made = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                made.add(threads.submit(() -> backend.createVolume(pool, HOST, new VolumeRequest(
                        UUID.randomUUID().toString(), 8 << 20, "qcow2", image, "qcow2"))));
            }
            for (Future<VolumeRef> f : made) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        List<VolumeInfo> all = libvirt.volumes(HOST, lvPool);
        assertEquals(10, all.size(), "image, one base, 8 overlays: " + all);
        assertEquals(1, all.stream().filter(v -> v.name().startsWith("base-")).count());
    }

    @Test
    void statusOnAHostWithoutThePoolMakesItThere() {
        assertFalse(libvirt.poolExists(HOST, lvPool));
        assertTrue(backend.status(pool, HOST).capacityBytes() > 0);
        assertTrue(libvirt.pool(HOST, lvPool).active());
    }

    @Test
    void aRawVolumeFromAnImageIsAFullCopyAndKeepsNoBase() {
        backend.open(pool, HOST);
        String image = libvirt.createVolume(HOST, lvPool, "image", 4 << 20, "qcow2").path();
        VolumeRef v = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 4 << 20,
                "raw", image, "qcow2"));
        VolumeInfo info = libvirt.volume(HOST, lvPool, v.volumeId()).orElseThrow();
        assertEquals("raw", info.format());
        assertEquals(null, info.backingPath());
        assertEquals(2, libvirt.volumes(HOST, lvPool).size(), "image and the copy: no base left");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndCreatesNothing() {
        assertField("parameters.path", () -> backend.validate(Map.of("path", "pools/relative")));
        assertField("parameters.path", () -> backend.open(withPath("/srv/pools/../../etc"), HOST));
        assertFalse(libvirt.poolExists(HOST, lvPool));

        backend.open(pool, HOST);
        assertField("volumeId", () -> backend.createVolume(pool, HOST, new VolumeRequest("../../etc/passwd", 1 << 20,
                "raw", null, null)));
        assertField("volumeId", () -> backend.createVolume(pool, HOST, new VolumeRequest("a/b", 1 << 20, "raw",
                null, null)));
        assertField("sizeBytes", () -> backend.createVolume(pool, HOST, request(0, "raw")));
        assertField("sizeBytes", () -> backend.createVolume(pool, HOST, request(-1, "qcow2")));
        assertField("format", () -> backend.createVolume(pool, HOST, request(1 << 20, "vmdk")));
        assertField("image", () -> backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(),
                1 << 20, "qcow2", "images/a.qcow2", "qcow2")));
        assertEquals(0, libvirt.volumes(HOST, lvPool).size());

        // A record whose key is not the pool's file for its id is left alone.
        VolumeRef v = backend.createVolume(pool, HOST, request(1 << 20, "raw"));
        VolumeRef forged = new VolumeRef(v.volumeId(), "/etc/passwd", v.sizeBytes(), "raw");
        assertThrows(DriverException.class, () -> backend.deleteVolume(pool, HOST, forged));
        assertThrows(DriverException.class, () -> backend.attachInfo(pool, forged, HOST));
        assertEquals(1, libvirt.volumes(HOST, lvPool).size());
        assertThrows(DriverException.class, () -> backend.open(pool, null));
    }

    @Test
    void baseNamesFollowTheImageFile() {
        String a = LocalStorageBackend.baseName(Path.of("/images/a.qcow2"));
        assertTrue(a.matches("base-[0-9a-f]{16}"), a);
        assertEquals(a, LocalStorageBackend.baseName(Path.of("/images/a.qcow2")));
        assertNotEquals(a, LocalStorageBackend.baseName(Path.of("/images/b.qcow2")));
    }

    private PoolRef withPath(String path) {
        return new PoolRef(pool.poolId(), pool.name(), pool.siteId(), Map.of("path", path));
    }

    private static VolumeRequest request(long size, String format) {
        return new VolumeRequest(UUID.randomUUID().toString(), size, format, null, null);
    }

    private static void assertField(String field, Runnable call) {
        ValidationException e = assertThrows(ValidationException.class, call::run);
        assertEquals(field, e.field(), e.getMessage());
    }
}
