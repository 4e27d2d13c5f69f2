package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.Requests;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.driver.kvm.TwoSiteLab;
import org.widecloud.driver.libvirt.LibvirtStoragePools;
import org.widecloud.storage.local.LocalStorageBackend;

/**
 * A VM with a site-local disk migrated from site A to site B in the two-site lab (itests/lab/two-site-lab.sh): the
 * real core and store, the KVM driver, and the real local storage backend ({@code storage=local}) with one pool per
 * site. Both pools have the same path under {@code /var/lib/libvirt}, which each site's libvirtd has privately (as
 * separate machines have their own disks), so the disk keeps its path and lands in another directory. Data written
 * into the volume at site A before the guest starts (qemu-io) is read back from the copy at site B after the
 * copy-storage live migration. Skips when not root (fails under CI=true).
 */
class TwoSiteStorageLabTest {
    private static final String POOL_PATH = "/var/lib/libvirt/widecloud-pools/lab";
    private static TwoSiteLab lab;
    private static Path labDir;

    @TempDir
    Path folder;
    TwoSiteCore wc;
    Pool poolA;
    Pool poolB;

    @BeforeAll
    static void labUp() throws Exception {
        lab = TwoSiteLab.up(false);
        labDir = Path.of(System.getenv().getOrDefault("WIDECLOUD_LAB_DIR", "/var/tmp/widecloud-lab"));
    }

    @AfterAll
    static void labRestore() throws Exception {
        if (lab != null) {
            lab.restore();
        }
    }

    @BeforeEach
    void setUp() {
        wc = new TwoSiteCore(folder);
        wc.core.withStorage(new LocalStorageBackend());
        poolA = wc.core.pools.create(TwoSiteCore.USER, new Requests.PoolCreate("lab-a", "campus-a", "local",
                Map.of("path", POOL_PATH)));
        poolB = wc.core.pools.create(TwoSiteCore.USER, new Requests.PoolCreate("lab-b", "campus-b", "local",
                Map.of("path", POOL_PATH)));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            wc.close();
        } finally {
            // The pools' libvirt definitions and directories go too: the lab is left as it was.
            try (LibvirtStoragePools pools = new LibvirtStoragePools()) {
                removeQuietly(pools, TwoSiteLab.SITE_A, poolA);
                removeQuietly(pools, TwoSiteLab.SITE_B, poolB);
            }
        }
    }

    private static void removeQuietly(LibvirtStoragePools pools, HostEndpoint host, Pool pool) {
        if (pool == null) {
            return;
        }
        try {
            pools.removePool(host, "wc-" + pool.id().substring(0, 8), true);
        } catch (RuntimeException e) {
            System.out.println("removing pool " + pool.name() + " at " + host.hostName() + ": " + e.getMessage());
        }
    }

    /** Where a site's libvirtd keeps a file of the pool, seen from outside its mount namespace. */
    private static Path atSite(String site, String key) {
        assertTrue(key.startsWith("/var/lib/libvirt/"), key);
        return labDir.resolve(site).resolve("lib").resolve(key.substring("/var/lib/libvirt/".length()));
    }

    private static String qemuIo(boolean write, Path file) throws Exception {
        List<String> cmd = write
                ? List.of("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 64k", file.toString())
                : List.of("qemu-io", "-r", "-U", "-f", "qcow2", "-c", "read -P 0x5a 1M 64k", file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "qemu-io did not end");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void aGuestWithASiteLocalDiskMovesToSiteBWithItsData() throws Exception {
        String name = "disk-" + Long.toHexString(System.nanoTime() & 0xffffff);
        wc.core.images.create(TwoSiteCore.USER, new Requests.ImageCreate(name, null, null,
                lab.guestDir.resolve("vmlinuz").toString(), lab.guestDir.resolve("initrd.gz").toString(),
                "console=ttyS0 quiet wc.name=" + name));
        Job created = wc.finished(wc.core.vms.create(TwoSiteCore.USER, new Requests.VmCreate(name, "site-a", null, 1,
                128L, name, List.of(), false, "lab-a", 1, null)));
        assertEquals(JobState.SUCCEEDED, created.state(), created.error());
        Vm vm = wc.core.vms.get(name);
        Volume root = wc.core.volumes.get(vm.id());
        assertTrue(root.key().startsWith(POOL_PATH + "/"), root.key());
        Path atA = atSite("site-a", root.key());
        assertTrue(Files.exists(atA), atA + " holds the volume at site A");
        qemuIo(true, atA);

        assertEquals(JobState.SUCCEEDED, wc.finished(wc.core.vms.start(TwoSiteCore.USER, name)).state());
        Job moved = wc.migrate(name, "site-b");
        assertEquals(JobState.SUCCEEDED, moved.state(), moved.error());
        String summary = wc.core.jobs.get(moved.id()).step();
        System.out.println("storage migration A->B: " + summary);
        java.util.regex.Matcher copied = java.util.regex.Pattern
                .compile(", 1 disk copied \\(([0-9.]+) MiB copied of 1024\\.0 MiB volume\\)").matcher(summary);
        assertTrue(copied.find(), "the job reports what libvirt copied of the disk: " + summary);
        assertTrue(Double.parseDouble(copied.group(1)) > 0, "the data written at site A was copied: " + summary);

        Vm atB = wc.core.vms.get(name);
        assertEquals(wc.b.id(), atB.host());
        assertEquals(VmState.RUNNING, atB.state());
        Volume after = wc.core.volumes.get(vm.id());
        assertEquals(wc.b.id(), after.host());
        assertEquals(poolB.id(), after.pool());
        assertEquals(root.key(), after.key());
        String read = qemuIo(false, atSite("site-b", after.key()));
        assertTrue(read.contains("read 65536/65536 bytes") && !read.contains("Pattern verification failed"), read);
        assertFalse(Files.exists(atA), "the source volume at site A is removed");
        assertEquals(1, wc.core.volumes.list(org.widecloud.api.model.PageRequest.all(), null, null).total());
        assertTrue(wc.core.jobs.await(moved.id(), Duration.ZERO).isDone());
    }
}
