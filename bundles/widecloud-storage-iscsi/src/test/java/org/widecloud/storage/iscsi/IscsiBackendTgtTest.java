package org.widecloud.storage.iscsi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.StorageBackend.PoolRef;
import org.widecloud.api.spi.StorageBackend.PoolStatus;
import org.widecloud.api.spi.StorageBackend.VolumeRef;
import org.widecloud.api.spi.StorageBackend.VolumeRequest;
import org.widecloud.api.spi.VmSpec;

/** The backend against the machine's real tgtd, seen through libiscsi's and QEMU's user-space initiators. */
class IscsiBackendTgtTest {
    static final long MIB = 1024 * 1024;

    private TgtLab lab;
    private IscsiBackend backend;

    @BeforeEach
    void up() throws IOException {
        TgtLab.need();
        lab = new TgtLab();
        backend = new IscsiBackend(lab.executors, null);
    }

    @AfterEach
    void down() throws IOException {
        if (lab != null) {
            lab.close();
        }
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static String lun(VolumeRef v) {
        return v.key();
    }

    @Test
    void volumeIsALunBehindChapThatGrowsAndGoes() {
        PoolRef pool = lab.pool("main", Map.of());
        PoolStatus status = backend.open(pool, null);
        assertTrue(status.capacityBytes() > 0 && status.usedBytes() > 0, status.toString());
        assertTrue(Files.isDirectory(lab.root.resolve("main")));

        String vid = id();
        VolumeRef v = backend.createVolume(pool, null, new VolumeRequest(vid, 64 * MIB + 100, null, null, null));
        assertEquals(64 * MIB + 512, v.sizeBytes(), "whole sectors");
        assertEquals(lab.iqnPrefix + ":" + vid + "/1", v.key());
        assertEquals("raw", v.format());
        assertEquals(64 * MIB + 512, TgtLab.capacity(TgtLab.url(pool, lun(v))));

        String listing = TgtLab.run(List.of("iscsi-ls", "-s", TgtLab.url(pool, ""))).stdout();
        assertTrue(listing.contains("Target:" + lab.iqnPrefix + ":" + vid), listing);
        TgtLab.Out wrong = TgtLab.run(List.of("iscsi-readcapacity16",
                TgtLab.url(pool.parameters().get("chap.user"), "Wrong-Secret-1", lun(v))));
        assertNotEquals(0, wrong.exit());
        assertTrue(wrong.stderr().contains("Authentication failure"), wrong.stderr());
        assertEquals(-1, TgtLab.capacity(TgtLab.url(null, null, lun(v))), "no CHAP, no login");

        VmSpec.Disk disk = backend.attachInfo(pool, v, null);
        assertEquals("network", disk.type());
        assertEquals("iscsi", disk.protocol());
        assertEquals(lab.iqnPrefix + ":" + vid + "/1", disk.source());
        assertEquals(List.of(TgtLab.PORTAL), disk.hosts());
        assertEquals(pool.parameters().get("chap.user"), disk.auth().username());
        assertEquals(pool.parameters().get("chap.secret"), disk.auth().secret());
        assertEquals("widecloud-iscsi-" + pool.poolId(), disk.auth().usage());
        assertFalse(disk.toString().contains(pool.parameters().get("chap.secret")), disk.toString());

        VolumeRef grown = backend.resizeVolume(pool, null, v, 96 * MIB);
        assertEquals(96 * MIB, grown.sizeBytes());
        assertEquals(96 * MIB, TgtLab.capacity(TgtLab.url(pool, lun(v))));
        ValidationException shrink = assertThrows(ValidationException.class,
                () -> backend.resizeVolume(pool, null, v, 32 * MIB));
        assertEquals("sizeBytes", shrink.field());

        backend.deleteVolume(pool, null, v);
        assertNull(TgtLab.targets().get(lab.iqnPrefix + ":" + vid));
        assertFalse(Files.exists(lab.root.resolve("main/" + vid + ".img")));
        backend.deleteVolume(pool, null, v); // gone already: nothing to do
    }

    /**
     * Data through QEMU's initiator (qemu-io over iscsi://): the image's bytes are on the LUN, what is written
     * through one connection is read back through another, and it is in the backing file on the server.
     */
    @Test
    void dataWrittenThroughTheInitiatorIsReadBack() throws IOException {
        Path image = lab.root.resolve("image.qcow2");
        TgtLab.Out made = TgtLab.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "8M"));
        assertEquals(0, made.exit(), made.stderr());
        qemuIo(image.toString(), "qcow2", "write -P 0x5a 0 64k");

        PoolRef pool = lab.pool("data", Map.of());
        backend.open(pool, null);
        VolumeRef v = backend.createVolume(pool, null,
                new VolumeRequest(id(), 16 * MIB, null, image.toString(), "qcow2"));
        assertEquals(16 * MIB, v.sizeBytes());
        String url = TgtLab.url(pool, lun(v));
        assertTrue(qemuIo(url, "raw", "read -P 0x5a 0 64k").contains("read 65536/65536 bytes"));
        qemuIo(url, "raw", "write -P 0xc3 1M 64k");
        assertTrue(qemuIo(url, "raw", "read -P 0xc3 1M 64k").contains("read 65536/65536 bytes"));
        qemuIo(url, "raw", "write -P 0x7e 15M 64k"); // in the part grown beyond the image
        assertTrue(qemuIo(url, "raw", "read -P 0x7e 15M 64k").contains("read 65536/65536 bytes"));

        try (RandomAccessFile f = new RandomAccessFile(lab.root.resolve("data/" + v.volumeId() + ".img").toFile(),
                "r")) {
            byte[] b = new byte[65536];
            f.seek(MIB);
            f.readFully(b);
            for (byte x : b) {
                assertEquals((byte) 0xc3, x);
            }
        }
    }

    /** qemu-io's output; fails the test on a pattern mismatch or an error. */
    static String qemuIo(String target, String format, String command) {
        TgtLab.Out o = TgtLab.run(List.of("qemu-io", "-f", format, "-c", command, target));
        assertEquals(0, o.exit(), command + ": " + o.stderr() + o.stdout());
        assertFalse(o.stdout().contains("Pattern verification failed"), command + ": " + o.stdout());
        assertFalse(o.stderr().contains("failed"), command + ": " + o.stderr());
        return o.stdout();
    }

    @Test
    void concurrentCreatesGetTheirOwnTargets() {
        PoolRef pool = lab.pool("many", Map.of());
        backend.open(pool, null);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<VolumeRef>> creates = new ArrayList<>();
            for (String format : List.of("raw", "qcow2", "raw", "qcow2")) {
                creates.add(CompletableFuture.supplyAsync(() -> backend.createVolume(pool, null,
                        new VolumeRequest(id(), 4 * MIB, format, null, null)), threads));
            }
            Set<Integer> tids = new HashSet<>();
            for (CompletableFuture<VolumeRef> c : creates) {
                VolumeRef v = c.join();
                assertEquals("raw", v.format(), "a LUN is raw whatever was asked");
                tids.add(TgtLab.targets().get(v.key().substring(0, v.key().length() - 2)).tid());
                assertEquals(4 * MIB, TgtLab.capacity(TgtLab.url(pool, lun(v))));
            }
            assertEquals(4, tids.size(), tids.toString());
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * tgtd keeps targets in memory only: after it lost them, opening the pool builds them again from the backing
     * files, CHAP included; restore does the same for the volumes core names, and names those it cannot.
     */
    @Test
    void openAndRestoreRebuildTargetsAfterTgtdLostThem() {
        PoolRef pool = lab.pool("restore", Map.of());
        backend.open(pool, null);
        VolumeRef a = backend.createVolume(pool, null, new VolumeRequest(id(), 4 * MIB, null, null, null));
        VolumeRef b = backend.createVolume(pool, null, new VolumeRequest(id(), 8 * MIB, null, null, null));
        lab.forgetTargetsAndAccounts();
        assertEquals(-1, TgtLab.capacity(TgtLab.url(pool, lun(a))));

        backend.open(pool, null);
        assertEquals(4 * MIB, TgtLab.capacity(TgtLab.url(pool, lun(a))));
        assertEquals(8 * MIB, TgtLab.capacity(TgtLab.url(pool, lun(b))));
        assertEquals(-1, TgtLab.capacity(TgtLab.url(null, null, lun(b))), "still behind CHAP");

        lab.forgetTargetsAndAccounts();
        backend.restore(pool, List.of(a, b));
        assertEquals(4 * MIB, TgtLab.capacity(TgtLab.url(pool, lun(a))));
        assertEquals(8 * MIB, TgtLab.capacity(TgtLab.url(pool, lun(b))));
        assertEquals(-1, TgtLab.capacity(TgtLab.url(null, null, lun(a))), "still behind CHAP");
        backend.restore(pool, List.of(a, b)); // nothing lost: nothing changes
        assertEquals(1, TgtLab.targets().byName().values().stream().filter(t -> t.name().equals(
                lab.iqnPrefix + ":" + a.volumeId())).count());

        VolumeRef missing = new VolumeRef(id(), "x", MIB, "raw");
        DriverException e = assertThrows(DriverException.class, () -> backend.restore(pool, List.of(missing)));
        assertTrue(e.getMessage().contains(missing.volumeId() + ": backing file"), e.getMessage());
    }

    @Test
    void initiatorsOutsideTheAclCannotLogIn() {
        PoolRef pool = lab.pool("acl", Map.of("initiators", "192.0.2.7"));
        backend.open(pool, null);
        VolumeRef v = backend.createVolume(pool, null, new VolumeRequest(id(), 4 * MIB, null, null, null));
        assertEquals(List.of("192.0.2.7"), TgtLab.targets().get(lab.iqnPrefix + ":" + v.volumeId()).acl());
        assertEquals(-1, TgtLab.capacity(TgtLab.url(pool, lun(v))), "127.0.0.1 is not in the ACL");
    }

    /** A logged-in initiator (a running VM) keeps its LUN: delete and resize are refused until it logs out. */
    @Test
    void aVolumeInUseIsNeitherDeletedNorResized() throws Exception {
        PoolRef pool = lab.pool("busy", Map.of());
        backend.open(pool, null);
        VolumeRef v = backend.createVolume(pool, null, new VolumeRequest(id(), 4 * MIB, null, null, null));
        String name = lab.iqnPrefix + ":" + v.volumeId();
        Process holder = new ProcessBuilder("qemu-io", "-f", "raw", "-c", "sleep 2500", TgtLab.url(pool, lun(v)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> TgtLab.targets().get(name).sessions() > 0);
            ConflictException del = assertThrows(ConflictException.class, () -> backend.deleteVolume(pool, null, v));
            assertTrue(del.getMessage().contains("session"), del.getMessage());
            assertThrows(ConflictException.class, () -> backend.resizeVolume(pool, null, v, 8 * MIB));
            assertEquals(4 * MIB, Files.size(lab.root.resolve("busy/" + v.volumeId() + ".img")), "file unchanged");
        } finally {
            holder.waitFor();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> TgtLab.targets().get(name).sessions() == 0);
        backend.deleteVolume(pool, null, v);
        assertNull(TgtLab.targets().get(name));
    }

    @Test
    void badRequestsNameTheFieldAndCreateNothing() throws IOException {
        PoolRef pool = lab.pool("bad", Map.of());
        backend.open(pool, null);
        Path dir = lab.root.resolve("bad");
        String vid = id();
        assertField("volumeId", () -> backend.createVolume(pool, null, new VolumeRequest("../../etc/x", MIB, null,
                null, null)));
        assertField("volumeId", () -> backend.createVolume(pool, null, new VolumeRequest("-rf", MIB, null, null,
                null)));
        assertField("format", () -> backend.createVolume(pool, null, new VolumeRequest(vid, MIB, "vmdk", null,
                null)));
        assertField("sizeBytes", () -> backend.createVolume(pool, null, new VolumeRequest(vid, 0, null, null, null)));
        assertField("sizeBytes", () -> backend.createVolume(pool, null, new VolumeRequest(vid, Long.MAX_VALUE / 2,
                null, null, null)));
        assertField("imagePath", () -> backend.createVolume(pool, null, new VolumeRequest(vid, MIB, null,
                "/var/lib/../../etc/shadow", "raw")));
        assertField("imageFormat", () -> backend.createVolume(pool, null, new VolumeRequest(vid, MIB, null,
                "/etc/hostname", "iso")));
        assertField("parameters.path", () -> backend.open(new PoolRef("p", "p", null, with(pool, "path",
                lab.root + "/../escape")), null));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing created");
        }
        assertTrue(TgtLab.targets().byName().keySet().stream().noneMatch(n -> n.startsWith(lab.iqnPrefix)));
    }

    /** tgtd has one account list: a second pool cannot take over (and re-key) a user bound to the first's targets. */
    @Test
    void aChapUserOfAnotherPoolIsRefused() {
        PoolRef first = lab.pool("first", Map.of());
        backend.open(first, null);
        VolumeRef v = backend.createVolume(first, null, new VolumeRequest(id(), MIB, null, null, null));
        String secret = TgtLab.secret();
        Map<String, String> params = with(first, "path", lab.root + "/second");
        params.put("chap.secret", secret);
        PoolRef second = new PoolRef("pool-" + lab.run + "-second", "second", null, params);
        ConflictException e = assertThrows(ConflictException.class, () -> backend.open(second, null));
        assertEquals("parameters.chap.user", e.field());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertEquals(MIB, TgtLab.capacity(TgtLab.url(first, lun(v))), "the first pool's secret still works");
    }

    /** The backend's log (slf4j-simple writes to System.err) over a whole volume life names no secret. */
    @Test
    void theLogNeverShowsTheSecret() {
        PoolRef pool = lab.pool("log", Map.of());
        String secret = pool.parameters().get("chap.secret");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            backend.open(pool, null);
            VolumeRef v = backend.createVolume(pool, null, new VolumeRequest(id(), MIB, null, null, null));
            backend.resizeVolume(pool, null, v, 2 * MIB);
            backend.attachInfo(pool, v, null);
            lab.forgetTargetsAndAccounts();
            backend.restore(pool, List.of(v));
            backend.deleteVolume(pool, null, v);
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("iscsi: pool log"), log);
        assertFalse(log.contains(secret), log);
    }

    static Map<String, String> with(PoolRef pool, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(pool.parameters());
        m.put(key, value);
        return m;
    }

    static void assertField(String field, org.junit.jupiter.api.function.Executable call) {
        CloudException e = assertThrows(CloudException.class, call);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(400, e.status(), e.getMessage());
    }
}
