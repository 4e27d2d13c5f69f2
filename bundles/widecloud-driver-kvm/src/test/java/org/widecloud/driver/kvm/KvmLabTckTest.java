package org.widecloud.driver.kvm;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.DomainXml;
import org.widecloud.driver.tck.HypervisorDriverContract;

/**
 * The driver TCK against the kvm driver on the real libvirtd ({@code qemu:///system}) with real QEMU guests: the
 * tiny guest of itests/lab/build-guest.sh (kernel + busybox initramfs, no NICs), which writes a marker on its
 * serial console when booted and powers off on the ACPI button. Skipped without a libvirtd socket, except under
 * CI=true. Live migration needs a second daemon: the lab itests cover it.
 */
class KvmLabTckTest extends HypervisorDriverContract {
    private static Path consoles;

    private BreakableDriver driver;
    private final List<String> vmIds = new ArrayList<>();

    @BeforeAll
    static void libvirtdAndGuest() throws Exception {
        KvmLabTest.libvirtdAndGuest();
        consoles = Files.createDirectories(KvmLabTest.labDir.resolve("console"));
    }

    @Override
    protected HypervisorDriver driver() {
        if (driver == null) {
            driver = new BreakableDriver(domainType(), consoles.toString());
        }
        return driver;
    }

    @Override
    protected void afterEachTest() {
        if (driver != null) {
            driver.close();
        }
        for (String id : vmIds) {
            try {
                Files.deleteIfExists(Path.of(DomainXml.consoleLog(consoles.toString(), id)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected HostEndpoint host() {
        return KvmLabTest.HOST;
    }

    /** The driver's domain type setting: auto on the local libvirtd. */
    protected String domainType() {
        return "auto";
    }

    @Override
    protected VmSpec newSpec(String name) {
        Path guest = KvmLabTest.guestDir;
        String id = UUID.randomUUID().toString();
        vmIds.add(id);
        return new VmSpec(id, name, 1, 128, new VmSpec.Boot(
                guest.resolve("vmlinuz").toString(), guest.resolve("initrd.gz").toString(),
                "console=ttyS0 quiet wc.name=" + name), List.of(), List.of());
    }

    /** The guest ignores the ACPI button until its init runs: wait for its marker on the serial console. */
    @Override
    protected void awaitBooted(VmSpec spec) {
        Path console = Path.of(DomainXml.consoleLog(consoles.toString(), spec.id()));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> read(console).contains(KvmLabTest.MARKER + " name=" + spec.name()));
    }

    @Override
    protected boolean breakConnection() {
        driver.breakConnection(host());
        return true;
    }

    @Override
    protected String noMigrationTargetReason() {
        return "one libvirtd here; live migration between two daemons is tested by the lab itests";
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class BreakableDriver extends KvmDriver {
        BreakableDriver(String domainType, String consoleLogDir) {
            super(domainType, consoleLogDir);
        }

        @Override
        public void breakConnection(HostEndpoint host) {
            super.breakConnection(host);
        }
    }
}
