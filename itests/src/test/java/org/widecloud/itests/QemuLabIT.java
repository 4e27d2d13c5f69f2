package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The real thing: the machine's libvirtd ({@code qemu:///system}) and a real QEMU guest (Debian kernel +
 * busybox initramfs from {@code itests/lab/build-guest.sh}). The first test boots a guest, sees it in
 * {@code virsh list} and stops it. The second swaps the kvm driver out and back in while a guest runs: the guest
 * keeps running, the host shows NO_DRIVER, operations answer 409 and nothing is deleted; a state change made
 * behind the controller's back meanwhile is read back when the driver returns.
 * <p>
 * {@code test:///default} cannot be used for the swap: its state lives in the controller's process and goes
 * away with the driver's connection.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QemuLabIT extends WidecloudTestSupport {

    private static final String QEMU = "qemu:///system";
    private static final Duration GUEST_BUILD = Duration.ofMinutes(10);

    private static final Path CONSOLES = Path.of(labDirectory(), "consoles");

    private final List<String> domains = new ArrayList<>();
    private String host;

    /** The driver copies each guest's serial console to a file: the test reads the guest's marker line there. */
    @Override
    protected Option[] extraOptions() {
        return new Option[] {editConfigurationFilePut("etc/org.widecloud.driver.kvm.cfg", "console.log.dir",
                CONSOLES.toString())};
    }

    @Before
    public void labHostAndImage() throws IOException {
        assumeLibvirtd();
        Files.createDirectories(CONSOLES);
        Path guest = Path.of(System.getProperty("widecloud.lab.dir", labDirectory()), "guest");
        run(GUEST_BUILD, "bash", System.getProperty("widecloud.repo") + "/itests/lab/build-guest.sh", guest.toString());
        assertTrue(Files.isRegularFile(guest.resolve("vmlinuz")) && Files.isRegularFile(guest.resolve("initrd.gz")));

        await(BOOT_TIMEOUT).until(() -> call("GET", "/hosts", null).status() == 200);
        host = hostOn(QEMU);
        await(Duration.ofSeconds(60)).until(() -> "UP".equals(get("/hosts/" + host).get("state").asText()));
        if (call("GET", "/images/lab-guest", null).status() == 404) {
            call("POST", "/images", json("name", "lab-guest", "kernel", guest.resolve("vmlinuz").toString(),
                    "initrd", guest.resolve("initrd.gz").toString(), "cmdline", "console=ttyS0 wc.name=itest"))
                    .expect(201);
        }
    }

    @After
    public void removeLeftovers() {
        for (String d : domains) {
            // Best effort: a failed test must not leave QEMU processes or definitions behind.
            quietly("virsh", "-c", QEMU, "destroy", d);
            quietly("virsh", "-c", QEMU, "undefine", d);
        }
        if (executeCommand("feature:list -i --no-format").indexOf("widecloud-driver-kvm") < 0) {
            executeCommand("feature:install widecloud-driver-kvm");
        }
    }

    @Test
    public void realGuestBootsRunsAndStops() {
        String vm = newVm();
        succeeded("POST", "/vms/" + vm + "/start", null);
        assertEquals("RUNNING", get("/vms/" + vm).get("state").asText());
        String list = run(Duration.ofSeconds(30), "virsh", "-c", QEMU, "list", "--name");
        assertTrue("virsh list shows " + vm + ": " + list, list.lines().anyMatch(vm::equals));
        assertEquals("running", domstate(vm));
        Path console = CONSOLES.resolve(get("/vms/" + vm).get("id").asText() + ".console.log");
        await(Duration.ofSeconds(120)).until(() -> Files.readString(console).contains("WIDECLOUD-GUEST-UP"));

        succeeded("POST", "/vms/" + vm + "/stop?timeout=30", null);
        assertEquals("STOPPED", get("/vms/" + vm).get("state").asText());
        assertEquals("shut off", domstate(vm));

        succeeded("DELETE", "/vms/" + vm, null);
        String all = run(Duration.ofSeconds(30), "virsh", "-c", QEMU, "list", "--all", "--name");
        assertTrue("undefined in libvirt: " + all, all.lines().noneMatch(vm::equals));
    }

    @Test
    public void driverHotSwapWhileAGuestRuns() {
        String vm = newVm();
        succeeded("POST", "/vms/" + vm + "/start", null);
        long vms = get("/vms?limit=1").get("total").asLong();

        String out = executeCommand("feature:uninstall widecloud-driver-kvm", Duration.ofMinutes(2));
        assertTrue(out, !out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> "NO_DRIVER".equals(get("/hosts/" + host).get("state").asText()));
        assertEquals("the guest keeps running without its driver", "running", domstate(vm));
        Response refused = call("POST", "/vms/" + vm + "/stop", null);
        assertEquals(refused.toString(), 409, refused.status());
        assertTrue(refused.toString(), refused.json().path("detail").asText()
                .contains("no hypervisor driver 'kvm' installed"));
        assertEquals(409, call("POST", "/vms", json("name", vm + "-2", "host", host, "vcpus", 1, "memoryMiB", 128,
                "image", "lab-guest", "nics", List.of())).status());
        assertEquals("nothing deleted", vms, get("/vms?limit=1").get("total").asLong());
        assertEquals(vm, get("/vms/" + vm).get("name").asText());
        JsonNode drivers = get("/drivers");
        assertTrue("kvm is not listed any more: " + drivers, !drivers.toString().contains("\"kvm\""));

        // Behind the controller's back while it cannot see: the guest is switched off.
        run(Duration.ofSeconds(30), "virsh", "-c", QEMU, "destroy", vm);

        out = executeCommand("feature:install widecloud-driver-kvm", Duration.ofMinutes(2));
        assertTrue(out, !out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> "UP".equals(get("/hosts/" + host).get("state").asText()));
        await(Duration.ofSeconds(60)).until(() -> "STOPPED".equals(get("/vms/" + vm).get("state").asText()));

        succeeded("POST", "/vms/" + vm + "/start", null);
        assertEquals("running", domstate(vm));
        succeeded("POST", "/vms/" + vm + "/destroy", null);
        succeeded("DELETE", "/vms/" + vm, null);
    }

    // ------------------------------------------------------------------ helpers

    /** The host on {@code uri} (one per URI), made here the first time. */
    private String hostOn(String uri) {
        for (JsonNode h : get("/hosts?limit=1000").get("items")) {
            if (uri.equals(h.get("uri").asText())) {
                return h.get("name").asText();
            }
        }
        call("POST", "/sites", json("name", "lab-site")).expect(201);
        call("POST", "/hosts", json("name", "lab-host", "site", "lab-site", "driver", "kvm", "uri", uri)).expect(201);
        return "lab-host";
    }

    private String newVm() {
        String vm = "itest-" + UUID.randomUUID().toString().substring(0, 8);
        domains.add(vm);
        succeeded("POST", "/vms", json("name", vm, "host", host, "vcpus", 1, "memoryMiB", 128, "image", "lab-guest",
                "nics", List.of()));
        return vm;
    }

    private static String domstate(String vm) {
        return run(Duration.ofSeconds(30), "virsh", "-c", QEMU, "domstate", vm).trim();
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (Exception e) {
            // nothing to clean
        }
    }
}
