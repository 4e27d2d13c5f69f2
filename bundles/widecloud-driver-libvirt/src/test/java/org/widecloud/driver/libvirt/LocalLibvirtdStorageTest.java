package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widecloud.driver.libvirt.TestCommands.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Secret;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.LibvirtStoragePools.VolumeInfo;
import org.widecloud.driver.libvirt.internal.HostConnection;
import org.widecloud.driver.libvirt.internal.Secrets;

/**
 * The storage facade and the driver's secrets on the machine's real libvirtd ({@code qemu:///system}): a dir pool
 * in a temporary directory, a real qcow2 image streamed in, an overlay on it that {@code qemu-img} reads, resize,
 * delete; CHAP secrets defined before a domain with an iSCSI disk. Skipped without libvirtd, run under CI=true.
 */
class LocalLibvirtdStorageTest {
    static final HostEndpoint HOST = new HostEndpoint("lab-1", "lab", "qemu:///system");
    @TempDir
    Path tmp;
    private final LibvirtStoragePools pools = new LibvirtStoragePools();
    private final TestHypervisorDriver driver = new TestHypervisorDriver();
    private final List<String> domains = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private String pool;

    @BeforeEach
    void libvirtd() {
        TestEnvironment.requireLibvirtd();
        TestEnvironment.require(Files.isExecutable(Path.of("/usr/bin/qemu-img")),
                "qemu-img is missing (apt-get install qemu-utils)");
        pool = "wc-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pool != null && pools.poolExists(HOST, pool)) {
            pools.volumes(HOST, pool).forEach(v -> pools.deleteVolume(HOST, pool, v.name()));
            pools.removePool(HOST, pool, true);
        }
        for (String id : domains) {
            driver.undefine(HOST, id);
        }
        onLibvirtd(conn -> {
            for (String usage : secrets) {
                Secrets.undefine(conn, "iscsi", usage);
            }
            return null;
        });
        pools.close();
        driver.close();
    }

    @Test
    void qcow2OverlayOnAnUploadedImageResizedAndDeleted() throws Exception {
        Path dir = tmp.resolve("pools").resolve(pool); // parents made by the pool's build
        Path image = tmp.resolve("image.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "32M");
        run("qemu-io", "-c", "write -P 0x5a 0 1M", image.toString());

        LibvirtStoragePools.PoolInfo info = pools.openDirPool(HOST, pool, dir.toString());
        assertTrue(Files.isDirectory(dir));
        assertTrue(info.active() && info.autostart());
        assertTrue(info.capacityBytes() > 0 && info.availableBytes() > 0);

        VolumeInfo base = pools.importFile(HOST, pool, "base-abc", image, "qcow2");
        assertEquals(dir.resolve("base-abc").toString(), base.path());
        assertEquals("qcow2", base.format());
        assertEquals(32L << 20, base.capacityBytes());
        assertFalse(Files.exists(dir.resolve("base-abc.part")));
        assertEquals(base.path(), pools.importFile(HOST, pool, "base-abc", image, "qcow2").path(), "once");

        VolumeInfo vol = pools.createOverlay(HOST, pool, "vol-1", 64L << 20, "base-abc");
        String qemuInfo = run("qemu-img", "info", "--output=json", vol.path());
        assertTrue(qemuInfo.contains("\"backing-filename\": \"" + base.path() + "\""), qemuInfo);
        assertTrue(qemuInfo.contains("\"virtual-size\": " + (64L << 20)), qemuInfo);
        // The base's data reads through the overlay.
        assertTrue(run("qemu-io", "-r", "-c", "read -P 0x5a 0 1M", vol.path()).contains("read 1048576/1048576"));

        VolumeInfo grown = pools.resizeVolume(HOST, pool, "vol-1", 128L << 20);
        assertEquals(128L << 20, grown.capacityBytes());
        assertTrue(run("qemu-img", "info", "--output=json", vol.path()).contains("\"virtual-size\": " + (128L << 20)));

        VolumeInfo blank = pools.createVolume(HOST, pool, "vol-2", 16L << 20, "raw");
        assertEquals(16L << 20, Files.size(Path.of(blank.path())));

        assertTrue(pools.deleteVolume(HOST, pool, "vol-1"));
        assertFalse(Files.exists(Path.of(vol.path())));
        assertTrue(Files.exists(Path.of(base.path())), "the base stays");
    }

    @Test
    void chapSecretIsDefinedBeforeTheDomainAndUpdated() throws Exception {
        String usage = newUsage();
        VmSpec spec = defineWithSecret("first-Secret-1", usage);
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, spec.id()));
        assertEquals("first-Secret-1", storedValue(usage));

        // A second VM with the same usage and a new secret value: one secret, the new value.
        defineWithSecret("second-Secret-2", usage);
        assertEquals("second-Secret-2", storedValue(usage));
    }

    @Test
    void aMigrationCarriesTheSecretsItsDisksName() throws Exception {
        String usage = newUsage();
        VmSpec spec = defineWithSecret("carried-Secret-3", usage);
        assertEquals(List.of(usage), Secrets.usedBy(driver.domainXml(HOST, spec)).stream().map(s -> s[1]).toList());
        // One libvirtd here: the target is the same daemon reached as another host; the value is read (the secret
        // is not private) and defined there again, still one secret.
        HostEndpoint target = new HostEndpoint("lab-2", "lab-2", "qemu:///system?target=1");
        driver.copySecrets(HOST, target, spec.id());
        assertEquals("carried-Secret-3", storedValue(usage));
        long same = onLibvirtd(conn -> {
            long n = 0;
            for (String uuid : conn.listSecrets()) {
                n += usage.equals(conn.secretLookupByUUIDString(uuid).getUsageID()) ? 1 : 0;
            }
            return n;
        });
        assertEquals(1, same);
    }

    private String newUsage() {
        String usage = "wc-test-" + UUID.randomUUID();
        secrets.add(usage);
        return usage;
    }

    /** A VM with one iSCSI disk whose CHAP secret is {@code value}, defined (not started) on the libvirtd. */
    private VmSpec defineWithSecret(String value, String usage) {
        VmSpec spec = iscsiVm(new VmSpec.Auth("chap", value, usage));
        driver.define(HOST, spec);
        domains.add(spec.id());
        return spec;
    }

    private static VmSpec iscsiVm(VmSpec.Auth auth) {
        String id = UUID.randomUUID().toString();
        return new VmSpec(id, "wc-iscsi-" + id.substring(0, 8), 1, 64, VmSpec.Boot.disk(),
                List.of(VmSpec.Disk.iscsi("iqn.2026-11.org.widecloud:test/1", List.of("127.0.0.1:3260"), auth)),
                List.of());
    }

    /** The value as libvirtd keeps it on disk (root only): a private secret is not handed out by the API. */
    private static String storedValue(String usage) throws Exception {
        String uuid = onLibvirtd(conn -> {
            Secret s = Secrets.find(conn, "iscsi", usage);
            assertTrue(s != null, "secret " + usage + " defined");
            return s.getUUIDString();
        });
        Path file = Path.of("/etc/libvirt/secrets", uuid + ".base64");
        return new String(Base64.getDecoder().decode(Files.readString(file).trim()), StandardCharsets.UTF_8);
    }

    private static <T> T onLibvirtd(HostConnection.Call<T> call) throws Exception {
        Connect conn = new Connect(HOST.uri(), false);
        try {
            return call.apply(conn);
        } finally {
            conn.close();
        }
    }
}
