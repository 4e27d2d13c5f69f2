package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.store.jdbc.JdbcCloudStore;

/** Image registration and import with the real qemu-img on files it makes; skips without qemu-img (not in CI). */
class ImageServiceImplTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path folder;

    private JdbcCloudStore store;
    private ImageServiceImpl images;
    private Path imageDir;

    @BeforeAll
    static void needQemuImg() {
        try {
            if (new ProcessBuilder("qemu-img", "--version").start().waitFor() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // reported below
        }
        String why = "qemu-img is not installed (apt-get install qemu-utils)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: this test must run)");
        }
        Assumptions.abort(why);
    }

    @BeforeEach
    void open() {
        store = JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.resolve("db").toString()), null, null, 2);
        imageDir = folder.resolve("images");
        images = new ImageServiceImpl(store, new Audit(store), imageDir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void rawQcow2AndVmdkAreDetectedWithSizeAndChecksum() throws Exception {
        for (String format : List.of("raw", "qcow2", "vmdk")) {
            Path file = make(format, "disk." + format, 8 * MIB);
            Image img = images.create("alice", disk("d-" + format, file, null));
            assertEquals(ImageKind.DISK, img.kind());
            assertEquals(format, img.format(), "detected, not guessed from the name");
            assertEquals(Long.valueOf(8 * MIB), img.virtualSizeBytes());
            assertEquals(sha256(file), img.checksum());
            assertEquals(img, store.image(img.id()).orElseThrow());
        }
        Path named = make("qcow2", "misleading.raw", MIB);
        assertEquals("qcow2", images.create("alice", disk("misleading", named, "QCOW2")).format());
    }

    @Test
    void badFilesAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        Path qcow2 = make("qcow2", "disk.qcow2", MIB);
        Path text = Files.writeString(folder.resolve("notes.img"), "not a disk\n");
        Path vpc = make("vpc", "disk.vhd", MIB);
        Path overlay = folder.resolve("overlay.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", qcow2.toString(), overlay.toString());

        assertRefused("format", "the file is qcow2, not raw", () -> images.create("a", disk("x", qcow2, "raw")));
        assertRefused("format", "'iso' is not one of raw, qcow2, vmdk, vdi, vhdx",
                () -> images.create("a", disk("x", qcow2, "iso")));
        assertRefused("path", "not a disk image", () -> images.create("a", disk("x", text, null)));
        assertRefused("path", "is a vpc image", () -> images.create("a", disk("x", vpc, null)));
        assertRefused("path", "no such file", () -> images.create("a", disk("x", folder.resolve("gone"), null)));
        assertRefused("path", "not a regular file", () -> images.create("a", disk("x", folder, null)));
        assertRefused("path", "backing file", () -> images.create("a", disk("x", overlay, null)));
        assertRefused("path", "absolute", () -> images.create("a", new Requests.ImageCreate("x", "disk.qcow2",
                null, null, null, null)));
        assertEquals(0, store.images(org.widecloud.api.model.PageRequest.of(0, 10)).total());
    }

    @Test
    void importConvertsToQcow2InTheImageFolderKeepingTheData() throws Exception {
        Path raw = folder.resolve("p2v.img");
        byte[] data = new byte[(int) (4 * MIB)];
        Arrays.fill(data, 0, (int) MIB, (byte) 0x5a);
        Files.write(raw, data);
        Path vmdk = make("vmdk", "server.vmdk", 2 * MIB);

        Image fromRaw = images.importImage("alice", new Requests.ImageImport("p2v", raw.toString(), null));
        assertEquals("qcow2", fromRaw.format());
        assertEquals(imageDir.resolve(fromRaw.id() + ".qcow2").toAbsolutePath().normalize().toString(),
                fromRaw.path(), "named from the id, not the user's name");
        assertEquals(Long.valueOf(4 * MIB), fromRaw.virtualSizeBytes());
        assertEquals(sha256(Path.of(fromRaw.path())), fromRaw.checksum());
        assertTrue(qemuImg("info", fromRaw.path()).contains("file format: qcow2"));
        qemuImg("compare", "-q", "-f", "raw", "-F", "qcow2", raw.toString(), fromRaw.path());

        Image fromVmdk = images.importImage("alice", new Requests.ImageImport("vm-ware", vmdk.toString(), "vmdk"));
        assertEquals(Long.valueOf(2 * MIB), fromVmdk.virtualSizeBytes());
        assertEquals(List.of(fromVmdk.id() + ".qcow2", fromRaw.id() + ".qcow2").stream().sorted().toList(),
                files(imageDir));

        // The controller owns an imported file: deleting the image deletes it.
        images.delete("alice", "p2v");
        assertEquals(List.of(fromVmdk.id() + ".qcow2"), files(imageDir));
    }

    @Test
    void aFailedImportLeavesNoFileAndNoRecord() throws Exception {
        Path qcow2 = folder.resolve("corrupt.qcow2");
        Path raw = Files.write(folder.resolve("full.img"), filled(2 * MIB));
        qemuImg("convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
        // Point the first L1 entry at an unaligned L2 table: the header still reads, the data does not.
        try (RandomAccessFile f = new RandomAccessFile(qcow2.toFile(), "rw")) {
            f.seek(40);
            long l1 = f.readLong();
            f.seek(l1);
            f.write(ByteBuffer.allocate(8).putLong(0x8000000000000201L).array());
        }
        assertThrows(BackendException.class,
                () -> images.importImage("alice", new Requests.ImageImport("broken", qcow2.toString(), "qcow2")));
        assertEquals(List.of(), files(imageDir));
        assertTrue(store.imageByName("broken").isEmpty());

        Path text = Files.writeString(folder.resolve("readme.txt"), "hello");
        assertRefused("path", "not a disk image",
                () -> images.importImage("a", new Requests.ImageImport("t", text.toString(), null)));
        Path vdi = make("vdi", "disk.vdi", MIB);
        assertRefused("path", "is a vdi image; accepted formats are raw, qcow2, vmdk",
                () -> images.importImage("a", new Requests.ImageImport("v", vdi.toString(), null)));
        assertRefused("format", "the file is vdi, not vmdk",
                () -> images.importImage("a", new Requests.ImageImport("v", vdi.toString(), "vmdk")));
        assertRefused("name", "", () -> images.importImage("a", new Requests.ImageImport("../x", vdi.toString(),
                null)));
        assertEquals(List.of(), files(imageDir));
        assertEquals(0, store.images(org.widecloud.api.model.PageRequest.of(0, 10)).total());
    }

    @Test
    void deleteIsRefusedWhileVolumesUseTheImage() throws Exception {
        Image img = images.create("alice", disk("base", make("qcow2", "base.qcow2", MIB), null));
        Pool pool = new Pool("p1", "p1", null, "local", Map.of(), 1L << 30, 0, PoolState.ACTIVE, null,
                Instant.now(), 0);
        store.insertPool(pool);
        store.insertVolume(new Volume("v1", "v1", pool.id(), null, MIB, "qcow2", img.id(), null, "k",
                VolumeState.AVAILABLE, Instant.now(), 0));
        ConflictException e = assertThrows(ConflictException.class, () -> images.delete("alice", "base"));
        assertEquals("image", e.field());
        assertTrue(e.getMessage().contains("1 volume"), e.getMessage());
        assertTrue(store.image(img.id()).isPresent());

        store.deleteVolume("v1");
        images.delete("alice", "base");
        assertTrue(store.image(img.id()).isEmpty());
    }

    @Test
    void updateKeepsSizeAndChecksum() throws Exception {
        Image img = images.create("alice", disk("keep", make("raw", "keep.img", MIB), null));
        Image renamed = images.update("alice", "keep", new Requests.ImageUpdate("kept", null, null));
        assertEquals(img.checksum(), renamed.checksum());
        assertEquals(img.virtualSizeBytes(), store.image(img.id()).orElseThrow().virtualSizeBytes());
    }

    @Test
    void aMissingOrHangingQemuImgIsABackendErrorAndStoresNothing() throws Exception {
        Path file = make("qcow2", "ok.qcow2", MIB);
        ImageServiceImpl missing = new ImageServiceImpl(store, new Audit(store), imageDir,
                new QemuImg(folder.resolve("no-such-qemu-img").toString(), Duration.ofSeconds(5),
                        Duration.ofSeconds(5)));
        BackendException e = assertThrows(BackendException.class, () -> missing.create("a", disk("x", file, null)));
        assertTrue(e.getMessage().contains("install qemu-utils"), e.getMessage());

        // A program that never answers stands in for a qemu-img stuck on a dead NFS mount.
        Path hanging = Files.writeString(folder.resolve("hanging-qemu-img"), "#!/bin/sh\nexec sleep 30\n");
        assertTrue(hanging.toFile().setExecutable(true));
        ImageServiceImpl stuck = new ImageServiceImpl(store, new Audit(store), imageDir,
                new QemuImg(hanging.toString(), Duration.ofMillis(300), Duration.ofMillis(300)));
        long start = System.nanoTime();
        e = assertThrows(BackendException.class, () -> stuck.create("a", disk("x", file, null)));
        assertTrue(e.getMessage().contains("did not end within"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the timeout applies");
        assertEquals(0, store.images(org.widecloud.api.model.PageRequest.of(0, 10)).total());
    }

    private static Requests.ImageCreate disk(String name, Path file, String format) {
        return new Requests.ImageCreate(name, file.toString(), format, null, null, null);
    }

    private Path make(String format, String name, long bytes) throws Exception {
        Path file = folder.resolve(name);
        qemuImg("create", "-q", "-f", format, file.toString(), Long.toString(bytes));
        return file;
    }

    private static byte[] filled(long bytes) {
        byte[] b = new byte[(int) bytes];
        Arrays.fill(b, (byte) 0x33);
        return b;
    }

    private static String qemuImg(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("qemu-img"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), argv + ": " + out);
        return out;
    }

    private static String sha256(Path file) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return "sha256:" + HexFormat.of().formatHex(digest);
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertRefused(String field, String message, Runnable r) {
        CloudException e = assertThrows(ValidationException.class, r::run);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
