package org.widecloud.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widecloud.driver.libvirt.TestCommands.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.StorageBackend.PoolRef;
import org.widecloud.api.spi.StorageBackend.PoolStatus;
import org.widecloud.api.spi.StorageBackend.VolumeRef;
import org.widecloud.api.spi.StorageBackend.VolumeRequest;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.LibvirtStoragePools;
import org.widecloud.driver.libvirt.TestEnvironment;

/**
 * The local backend on the machine's real libvirtd ({@code qemu:///system}): a dir pool in a temporary directory, a
 * real qcow2 image (made with qemu-img, a pattern written with qemu-io) copied in once as the base, overlays that
 * {@code qemu-img} sees on it and that read the image's data, resize, delete. Skipped without libvirtd, run under
 * CI=true.
 */
class LocalStorageLibvirtdTest {
    private static final HostEndpoint HOST = new HostEndpoint("lab-1", "lab", "qemu:///system");
    @TempDir
    Path tmp;
    private final LibvirtStoragePools libvirt = new LibvirtStoragePools();
    private final LocalStorageBackend backend = new LocalStorageBackend(libvirt);
    private PoolRef pool;
    private String lvPool;
    private Path dir;

    @BeforeEach
    void libvirtd() {
        TestEnvironment.requireLibvirtd();
        TestEnvironment.require(Files.isExecutable(Path.of("/usr/bin/qemu-img")),
                "qemu-img is missing (apt-get install qemu-utils)");
        dir = tmp.resolve("pools/p1");
        pool = new PoolRef(UUID.randomUUID().toString(), "p1", "site-1", Map.of("path", dir.toString()));
        lvPool = LocalStorageBackend.libvirtPool(pool);
    }

    @AfterEach
    void cleanUp() {
        if (lvPool != null && libvirt.poolExists(HOST, lvPool)) {
            libvirt.volumes(HOST, lvPool).forEach(v -> libvirt.deleteVolume(HOST, lvPool, v.name()));
            libvirt.removePool(HOST, lvPool, true);
        }
        backend.deactivate();
    }

    @Test
    void overlaysOnARealImageResizedAndDeleted() throws Exception {
        Path image = tmp.resolve("image.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "48M");
        run("qemu-io", "-c", "write -P 0xa5 1M 2M", image.toString());

        PoolStatus status = backend.open(pool, HOST);
        assertTrue(Files.isDirectory(dir), "the pool's build made the directory");
        assertTrue(status.capacityBytes() > 0);

        VolumeRef a = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 96L << 20,
                "qcow2", image.toString(), "qcow2"));
        assertEquals(dir.resolve(a.volumeId()).toString(), a.key());
        assertEquals(96L << 20, a.sizeBytes());
        String info = run("qemu-img", "info", "--output=json", a.key());
        String base = dir.resolve(LocalStorageBackend.baseName(image)).toString();
        assertTrue(info.contains("\"backing-filename\": \"" + base + "\""), info);
        assertTrue(info.contains("\"virtual-size\": " + (96L << 20)), info);
        assertTrue(run("qemu-io", "-r", "-c", "read -P 0xa5 1M 2M", a.key()).contains("read 2097152/2097152"));

        // A second volume of the image shares the base: the image is copied once per pool and host.
        VolumeRef b = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 1,
                "qcow2", image.toString(), "qcow2"));
        assertEquals(48L << 20, b.sizeBytes(), "never smaller than the image");
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "base and two overlays");
        }

        VolumeRef grown = backend.resizeVolume(pool, HOST, a, 200L << 20);
        assertEquals(200L << 20, grown.sizeBytes());
        assertTrue(run("qemu-img", "info", "--output=json", a.key()).contains("\"virtual-size\": " + (200L << 20)));
        assertEquals(VmSpec.Disk.file(a.key(), "qcow2", false), backend.attachInfo(pool, grown, HOST));

        // raw from the image: a full copy of the requested size, no backing file, the image's data in it.
        VolumeRef raw = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 64L << 20,
                "raw", image.toString(), "qcow2"));
        String rawInfo = run("qemu-img", "info", "--output=json", raw.key());
        assertTrue(rawInfo.contains("\"format\": \"raw\"") && !rawInfo.contains("backing-filename"), rawInfo);
        assertEquals(64L << 20, Files.size(Path.of(raw.key())));
        assertTrue(run("qemu-io", "-r", "-f", "raw", "-c", "read -P 0xa5 1M 2M", raw.key())
                .contains("read 2097152/2097152"));
        backend.deleteVolume(pool, HOST, raw);

        VolumeRef blank = backend.createVolume(pool, HOST, new VolumeRequest(UUID.randomUUID().toString(), 8L << 20,
                "raw", null, null));
        assertEquals(8L << 20, Files.size(Path.of(blank.key())));
        backend.deleteVolume(pool, HOST, blank);
        assertFalse(Files.exists(Path.of(blank.key())));

        backend.deleteVolume(pool, HOST, a);
        assertFalse(Files.exists(Path.of(a.key())));
        assertTrue(Files.exists(Path.of(base)), "b still uses the base");
        backend.deleteVolume(pool, HOST, b);
        assertFalse(Files.exists(Path.of(base)), "gone with its last overlay");
        assertTrue(backend.status(pool, HOST).capacityBytes() > 0);
    }
}
