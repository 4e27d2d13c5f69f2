package org.widecloud.driver.kvm;

import org.widecloud.driver.libvirt.TestEnvironment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.DomainXml;

/**
 * The kvm driver against the real libvirtd ({@code qemu:///system}) with a real QEMU guest: the tiny guest of
 * itests/lab/build-guest.sh, booted directly from kernel + initramfs, without NICs. Skips when no libvirtd
 * socket exists, except under CI=true.
 */
class KvmLabTest {
    static final HostEndpoint HOST = new HostEndpoint("lab-1", "lab", "qemu:///system");
    static final String MARKER = "WIDECLOUD-GUEST-UP";
    static Path labDir;
    static Path guestDir;

    private KvmDriver driver;
    /** Drops the driver's libvirtd connection behind its back, as a restarted daemon would. */
    private Runnable loseConnection;
    private VmSpec spec;

    @BeforeAll
    static void libvirtdAndGuest() throws Exception {
        TestEnvironment.require(Files.exists(Path.of("/run/libvirt/libvirt-sock")),
                "no libvirtd socket at /run/libvirt/libvirt-sock (start it: virtlogd -d; libvirtd -d)");
        String dir = System.getenv().getOrDefault("WIDECLOUD_LAB_DIR", "/var/tmp/widecloud-lab");
        labDir = Path.of(dir);
        guestDir = labDir.resolve("guest");
        Path script = Path.of(System.getProperty("widecloud.buildGuest", "../../itests/lab/build-guest.sh"));
        Process p = new ProcessBuilder(script.toAbsolutePath().toString(), guestDir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "build-guest.sh did not finish");
        assertEquals(0, p.exitValue(), "build-guest.sh failed: " + out);
    }

    @AfterEach
    void cleanUp() {
        if (driver != null) {
            if (spec != null && driver.state(HOST, spec.id()) != DomainState.MISSING) {
                driver.destroy(HOST, spec.id());
                driver.undefine(HOST, spec.id());
            }
            driver.close();
        }
    }

    @Test
    void realGuestBootsRunsAndGoesAway() throws Exception {
        Path consoles = Files.createDirectories(labDir.resolve("console"));
        driver = new KvmDriver("auto", consoles.toString()) {
            {
                loseConnection = () -> breakConnection(HOST);
            }
        };
        boolean hardware = CpuInfo.hasHardwareVirtualization(Path.of("/proc/cpuinfo"));
        assertEquals(hardware ? "kvm" : "qemu", driver.flavourOf(HOST).domainType());

        HostFacts facts = driver.facts(HOST);
        assertEquals("QEMU", facts.hypervisor());
        assertTrue(facts.cpus() > 0 && facts.memoryMiB() > 0, facts.toString());

        String name = "wc-lab-" + UUID.randomUUID().toString().substring(0, 8);
        spec = new VmSpec(UUID.randomUUID().toString(), name, 1, 128,
                new VmSpec.Boot(guestDir.resolve("vmlinuz").toString(), guestDir.resolve("initrd.gz").toString(),
                        "console=ttyS0 quiet wc.name=" + name),
                List.of(), List.of());
        Set<DomainState> events = ConcurrentHashMap.newKeySet();
        driver.addListener(HOST, (h, vm, state, detail) -> {
            if (vm.equals(spec.id())) {
                events.add(state);
            }
        });
        Path console = Path.of(DomainXml.consoleLog(consoles.toString(), spec.id()));

        driver.define(HOST, spec);
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, spec.id()));
        loseConnection.run(); // the next call finds the connection dead, reconnects once and goes on
        long t0 = System.nanoTime();
        driver.start(HOST, spec.id());
        assertEquals(DomainState.RUNNING, driver.state(HOST, spec.id()));
        assertEquals(DomainState.RUNNING, driver.states(HOST).get(spec.id()));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> read(console).contains(MARKER + " name=" + name));
        long bootMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("lab guest %s: start -> %s on the console in %d ms (domain type %s)%n", name, MARKER,
                bootMs, driver.flavourOf(HOST).domainType());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(DomainState.RUNNING));

        // The guest powers off on the ACPI power button: graceful, not forced.
        assertTrue(driver.shutdown(HOST, spec.id(), Duration.ofSeconds(60)), "guest did not shut down by itself");
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, spec.id()));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(DomainState.SHUTOFF));

        // Forced path: a guest that cannot answer in time (still booting) is destroyed, and shutdown says so.
        driver.start(HOST, spec.id());
        assertEquals(DomainState.RUNNING, driver.state(HOST, spec.id()));
        assertFalse(driver.shutdown(HOST, spec.id(), Duration.ofMillis(1)), "a 1 ms timeout must force it off");
        assertEquals(DomainState.SHUTOFF, driver.state(HOST, spec.id()));
        driver.destroy(HOST, spec.id()); // already off: no error

        driver.undefine(HOST, spec.id());
        assertEquals(DomainState.MISSING, driver.state(HOST, spec.id()));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(DomainState.MISSING));
        Files.deleteIfExists(console);
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }
}
