package org.widecloud.storage.iscsi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.StorageBackend.PoolRef;
import org.widecloud.api.spi.StorageBackend.VolumeRef;
import org.widecloud.api.spi.StorageBackend.VolumeRequest;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.kvm.KvmDriver;
import org.widecloud.driver.libvirt.DomainXml;
import org.widecloud.driver.libvirt.TestEnvironment;
import org.widecloud.driver.libvirt.internal.Secrets;

/**
 * A real QEMU guest on the machine's libvirtd with its disk on this backend: the kvm driver renders the volume's
 * {@code attachInfo} as a libvirt network disk and stores the CHAP secret in libvirt's secret store; QEMU's
 * user-space initiator logs in to the real tgtd. The guest (the lab's tiny kernel + initramfs, plus a second cpio
 * archive with a script run as {@code rdinit}) reads what the volume was created with, writes a line, and powers
 * off; the line is then read back through the initiator.
 */
class IscsiGuestTest {
    static final HostEndpoint HOST = new HostEndpoint("lab-1", "lab", "qemu:///system");
    /**
     * Run instead of the lab guest's /init ({@code rdinit=}): the same mounts and virtio modules (its list), then
     * the disk work instead of the network services. (Calling the lab's /init from here was tried: run first, it
     * never came back; started in the background, it needs /dev/null before /dev is mounted.)
     */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/bin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            exec </dev/console >/dev/console 2>&1
            while read -r m; do insmod "/lib/modules/$m.ko" 2>/dev/null; done < /lib/modules/order
            i=0
            while [ ! -b /dev/vda ] && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done
            token=none
            for arg in $(cat /proc/cmdline); do case $arg in wc.token=*) token=${arg#wc.token=} ;; esac; done
            echo "ISCSI-GUEST-READ $(dd if=/dev/vda bs=512 count=1 2>/dev/null | head -c 40 | tr -cd 'A-Za-z0-9-')"
            echo "ISCSI-GUEST-SECTORS $(cat /sys/block/vda/size)"
            printf 'written-by-guest-%s\\n' "$token" | dd of=/dev/vda bs=512 seek=1 conv=sync,fsync 2>/dev/null \\
                && echo "ISCSI-GUEST-WROTE"
            sync
            echo "ISCSI-GUEST-DONE"
            poweroff -f
            """;

    private TgtLab lab;
    private KvmDriver driver;
    private VmSpec spec;
    private String usage;

    @BeforeEach
    void up() throws IOException {
        TgtLab.need();
        TestEnvironment.requireLibvirtd();
        lab = new TgtLab();
    }

    /** Each step on its own: a failing one must not leave the guest, its secret or the targets behind. */
    @AfterEach
    void down() throws Exception {
        try {
            if (driver != null) {
                try {
                    if (spec != null && driver.state(HOST, spec.id()) != DomainState.MISSING) {
                        driver.destroy(HOST, spec.id());
                        driver.undefine(HOST, spec.id());
                    }
                } finally {
                    driver.close();
                }
            }
        } finally {
            try {
                if (usage != null) {
                    Connect conn = new Connect(HOST.uri(), false);
                    try {
                        Secrets.undefine(conn, "iscsi", usage);
                    } finally {
                        conn.close();
                    }
                }
            } finally {
                if (lab != null) {
                    lab.close();
                }
            }
        }
    }

    @Test
    void aGuestReadsAndWritesItsIscsiDisk() throws Exception {
        Path guest = Path.of(System.getenv().getOrDefault("WIDECLOUD_LAB_DIR", "/var/tmp/widecloud-lab"), "guest");
        TgtLab.Out built = TgtLab.run(List.of(Path.of("../../itests/lab/build-guest.sh").toAbsolutePath()
                .normalize().toString(), guest.toString()));
        assertEquals(0, built.exit(), "build-guest.sh: " + built.stdout() + built.stderr());
        String token = UUID.randomUUID().toString().substring(0, 8);
        Path initrd = lab.root.resolve("initrd.gz");
        Files.write(initrd, concat(Files.readAllBytes(guest.resolve("initrd.gz")), initArchive()));
        Files.setPosixFilePermissions(lab.root, PosixFilePermissions.fromString("rwxr-xr-x"));

        // The volume starts as a copy of a raw image whose first sector carries a marker.
        Path image = lab.root.resolve("seed.raw");
        byte[] seed = new byte[1024 * 1024];
        byte[] marker = ("WIDECLOUD-ISCSI-IN-" + token).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, seed, 0, marker.length);
        Files.write(image, seed);
        PoolRef pool = lab.pool("guest", Map.of());
        IscsiBackend backend = new IscsiBackend(lab.executors, null);
        backend.open(pool, null);
        VolumeRef v = backend.createVolume(pool, null,
                new VolumeRequest(UUID.randomUUID().toString(), 8L << 20, null, image.toString(), "raw"));
        VmSpec.Disk disk = backend.attachInfo(pool, v, HOST);
        usage = disk.auth().usage();

        Path consoles = Files.createDirectories(lab.root.resolve("console"));
        driver = new KvmDriver("auto", consoles.toString());
        String name = "wc-iscsi-" + token;
        spec = new VmSpec(UUID.randomUUID().toString(), name, 1, 128,
                new VmSpec.Boot(guest.resolve("vmlinuz").toString(), initrd.toString(),
                        "console=ttyS0 rdinit=/iscsi-init wc.token=" + token),
                List.of(disk), List.of());
        Path console = Path.of(DomainXml.consoleLog(consoles.toString(), spec.id()));
        driver.define(HOST, spec);
        driver.start(HOST, spec.id());
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> read(console).contains("ISCSI-GUEST-DONE"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail("the guest did not finish within 60 s; its console:\n" + read(console));
        }
        String out = read(console);
        out.lines().filter(l -> l.startsWith("ISCSI-GUEST") || l.contains("vda")).forEach(l -> System.out.println(
                "guest " + name + ": " + l.strip()));
        assertTrue(out.contains("ISCSI-GUEST-READ WIDECLOUD-ISCSI-IN-" + token), out);
        assertTrue(out.contains("ISCSI-GUEST-SECTORS " + (8L << 20) / 512), out);
        assertTrue(out.contains("ISCSI-GUEST-WROTE"), out);
        await().atMost(Duration.ofSeconds(30)).until(() -> driver.state(HOST, spec.id()) == DomainState.SHUTOFF);

        // Read back through the initiator (QEMU's, over iscsi://), not from the file.
        Path copy = lab.root.resolve("copy.raw");
        TgtLab.Out conv = TgtLab.run(List.of("qemu-img", "convert", "-f", "raw", "-O", "raw",
                TgtLab.url(pool, v.key()), copy.toString()));
        assertEquals(0, conv.exit(), conv.stderr());
        byte[] sector = Arrays.copyOfRange(Files.readAllBytes(copy), 512, 512 + 64);
        assertTrue(new String(sector, StandardCharsets.US_ASCII).startsWith("written-by-guest-" + token + "\n"),
                new String(sector, StandardCharsets.US_ASCII));
    }

    /** A newc cpio archive with only /iscsi-init, gzip-compressed, to append to the lab guest's initramfs. */
    private byte[] initArchive() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(lab.root.resolve("init-archive"));
        Path init = dir.resolve("iscsi-init");
        Files.writeString(init, INIT);
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = new ProcessBuilder("cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0").directory(dir.toFile())
                .start();
        try (OutputStream names = p.getOutputStream()) {
            names.write("iscsi-init\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] cpio = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(cpio);
        }
        return gz.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }
}
