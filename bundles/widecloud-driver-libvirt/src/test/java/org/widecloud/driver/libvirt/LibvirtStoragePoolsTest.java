package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.driver.libvirt.LibvirtStoragePools.PoolInfo;
import org.widecloud.driver.libvirt.LibvirtStoragePools.VolumeInfo;

/**
 * The storage facade on libvirt's test hypervisor ({@code test:///default}): its pools and volumes are real libvirt
 * objects kept in memory (no files), so names, XML, lookups and checks run for real; upload and resize are not
 * implemented there (an image file becomes a volume of its size without data; see {@link LocalLibvirtdStorageTest}
 * for the real copy).
 */
class LibvirtStoragePoolsTest {
    static final HostEndpoint HOST = new HostEndpoint("h-1", "test-host", "test:///default");
    private final LibvirtStoragePools pools = new LibvirtStoragePools();
    private String pool;
    private String path;

    @BeforeEach
    void openPool() {
        pool = "wc-" + UUID.randomUUID().toString().substring(0, 8);
        path = "/var/lib/widecloud/pools/" + pool;
    }

    @AfterEach
    void cleanUp() {
        if (pools.poolExists(HOST, pool)) {
            pools.volumes(HOST, pool).forEach(v -> pools.deleteVolume(HOST, pool, v.name()));
            pools.removePool(HOST, pool, false);
        }
        pools.close();
    }

    @Test
    void openDefinesStartsAndAutostartsTheDirPoolOnce() {
        PoolInfo info = pools.openDirPool(HOST, pool, path);
        assertEquals(pool, info.name());
        assertEquals(path, info.path());
        assertTrue(info.active());
        assertTrue(info.autostart());
        assertTrue(info.capacityBytes() > 0);
        assertEquals(info.path(), pools.openDirPool(HOST, pool, path).path(), "idempotent");
        assertEquals(pool, pools.pool(HOST, pool).name());
    }

    @Test
    void anExistingPoolElsewhereIsRefused() {
        pools.openDirPool(HOST, pool, path);
        DriverException e = assertThrows(DriverException.class, () -> pools.openDirPool(HOST, pool, path + "-other"));
        assertTrue(e.getMessage().startsWith("pool: '" + pool + "' exists"), e.getMessage());
        assertThrows(DriverException.class, () -> pools.openDirPool(HOST, "default-pool", path));
    }

    @Test
    void blankVolumesAndOverlays() {
        pools.openDirPool(HOST, pool, path);
        VolumeInfo base = pools.createVolume(HOST, pool, "base-1", 1 << 20, "qcow2");
        assertEquals(path + "/base-1", base.path());
        assertEquals("qcow2", base.format());
        assertEquals(1 << 20, base.capacityBytes());
        assertNull(base.backingPath());

        VolumeInfo overlay = pools.createOverlay(HOST, pool, "vol-1", 4 << 20, "base-1");
        assertEquals(path + "/vol-1", overlay.path());
        assertEquals("qcow2", overlay.format());
        assertEquals(base.path(), overlay.backingPath());
        assertEquals("qcow2", overlay.backingFormat());

        VolumeInfo raw = pools.createVolume(HOST, pool, "vol-2", 2 << 20, "raw");
        assertEquals("raw", raw.format());
        assertEquals(3, pools.volumes(HOST, pool).size());
        assertEquals(overlay, pools.volume(HOST, pool, "vol-1").orElseThrow());

        assertTrue(pools.deleteVolume(HOST, pool, "vol-1"));
        assertFalse(pools.deleteVolume(HOST, pool, "vol-1"), "already gone");
        assertTrue(pools.volume(HOST, pool, "vol-1").isEmpty());
    }

    @Test
    void anImageThatIsAVolumeOnTheHostIsCopiedThereOnce() {
        pools.openDirPool(HOST, pool, path);
        // The test hypervisor copies only within one pool (it looks the source up in the target pool).
        String image = pools.createVolume(HOST, pool, "image", 1 << 20, "raw").path();
        VolumeInfo base = pools.importFile(HOST, pool, "base-img", Path.of(image), "raw");
        assertEquals(path + "/base-img", base.path());
        assertEquals(1 << 20, base.capacityBytes());
        assertEquals(base, pools.importFile(HOST, pool, "base-img", Path.of(image), "raw"), "copied once");
        assertEquals(2, pools.volumes(HOST, pool).size(), "image and base, no .part");
    }

    @Test
    void anImageFileBecomesAVolumeOfItsVirtualSizeOnTheTestHypervisor(@TempDir Path tmp) throws Exception {
        TestEnvironment.require(Files.isExecutable(Path.of("/usr/bin/qemu-img")),
                "qemu-img is missing (apt-get install qemu-utils)");
        Path image = tmp.resolve("image.qcow2");
        TestCommands.run("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "48M");
        pools.openDirPool(HOST, pool, path);
        VolumeInfo base = pools.importFile(HOST, pool, "base-file", image, "qcow2");
        assertEquals(48L << 20, base.capacityBytes());
        assertEquals("qcow2", base.format());
        assertEquals(1, pools.volumes(HOST, pool).size(), "no .part left");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndCreatesNothing() {
        assertRefused("path", () -> pools.openDirPool(HOST, pool, "relative/dir"));
        assertRefused("path", () -> pools.openDirPool(HOST, pool, "/var/lib/widecloud/pools/../../etc"));
        assertRefused("path", () -> pools.openDirPool(HOST, pool, "/var/lib/widecloud/pools/x/"));
        assertRefused("pool", () -> pools.openDirPool(HOST, "../x", path));
        assertFalse(pools.poolExists(HOST, pool));

        pools.openDirPool(HOST, pool, path);
        assertRefused("volume", () -> pools.createVolume(HOST, pool, "../escape", 1 << 20, "raw"));
        assertRefused("volume", () -> pools.createVolume(HOST, pool, "..", 1 << 20, "raw"));
        assertRefused("volume", () -> pools.createVolume(HOST, pool, "a/b", 1 << 20, "raw"));
        assertRefused("capacity", () -> pools.createVolume(HOST, pool, "v", 0, "raw"));
        assertRefused("format", () -> pools.createVolume(HOST, pool, "v", 1 << 20, "vmdk"));
        assertRefused("backing", () -> pools.createOverlay(HOST, pool, "v", 1 << 20, "missing"));
        pools.createVolume(HOST, pool, "base", 4 << 20, "qcow2");
        assertRefused("capacity", () -> pools.createOverlay(HOST, pool, "v", 1 << 20, "base"));
        assertRefused("volume", () -> pools.createVolume(HOST, pool, "base", 1 << 20, "raw"));
        assertRefused("file", () -> pools.importFile(HOST, pool, "v", Path.of("image.qcow2"), "qcow2"));
        assertRefused("format", () -> pools.importFile(HOST, pool, "v", Path.of("/image"), "iso"));
        assertRefused("pool", () -> pools.createVolume(HOST, "wc-missing", "v", 1 << 20, "raw"));
        assertEquals(1, pools.volumes(HOST, pool).size(), "only the base");
    }

    private static void assertRefused(String field, Runnable call) {
        DriverException e = assertThrows(DriverException.class, call::run);
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }
}
