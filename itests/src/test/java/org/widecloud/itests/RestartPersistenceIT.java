package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionFactory;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Restart persistence, done the way an operator does it: the distribution's tar.gz is unpacked and started
 * with its own {@code bin/karaf}, objects are created through REST, Karaf is stopped with {@code bin/stop} and
 * started again on the same folder. (Not Pax Exam: its container cannot restart itself, and a fresh container
 * would not be a restart.) Everything created is still there; with a libvirtd on this machine, a guest switched
 * off behind the controller's back while it was down shows STOPPED, one started behind its back shows RUNNING.
 * The shipped configuration is hermetic: the kvm driver is uninstalled and installed again through
 * {@code bin/client} with no Maven repository but the distribution's own {@code system/}.
 */
public class RestartPersistenceIT {

    private static final String QEMU = "qemu:///system";

    private final List<String> domains = new ArrayList<>();
    private KarafProcess karaf;

    @Test
    public void everythingSurvivesARestartAndStatesAreReconciled() throws Exception {
        boolean libvirtd = Files.exists(Path.of(WidecloudTestSupport.LIBVIRT_SOCKET));
        if (!libvirtd && "true".equals(System.getenv("CI"))) {
            fail("CI=true but no libvirtd (" + WidecloudTestSupport.LIBVIRT_SOCKET + "): run scripts/setup-test-env.sh");
        }
        karaf = KarafProcess.unpack("restart-it");
        karaf.start();

        send("POST", "/sites", Map.of("name", "keep-site", "description", "survives restarts")).expect(201);
        send("POST", "/networks", Map.of("name", "keep-net", "ipv4Prefix", "10.50.0.0/24")).expect(201);
        String stoppedBehind = null;
        String startedBehind = null;
        if (libvirtd) {
            Path guest = Path.of(WidecloudTestSupport.labDirectory(), "guest");
            exec(Duration.ofMinutes(10), "bash", System.getProperty("widecloud.repo") + "/itests/lab/build-guest.sh",
                    guest.toString());
            send("POST", "/images", Map.of("name", "keep-img", "kernel", guest.resolve("vmlinuz").toString(),
                    "initrd", guest.resolve("initrd.gz").toString(), "cmdline", "console=ttyS0")).expect(201);
            String host = qemuHost();
            stoppedBehind = vm(host, true);
            startedBehind = vm(host, false);
        } else {
            System.out.println("RestartPersistenceIT: no libvirtd here (" + WidecloudTestSupport.LIBVIRT_SOCKET
                    + "): checking the store only, not VM reconciliation");
            send("POST", "/images", Map.of("name", "keep-img", "path", WidecloudTestSupport.sampleDisk()))
                    .expect(201);
        }

        karaf.stop();
        if (libvirtd) {
            exec(Duration.ofSeconds(30), "virsh", "-c", QEMU, "destroy", stoppedBehind);
            exec(Duration.ofSeconds(30), "virsh", "-c", QEMU, "start", startedBehind);
        }
        karaf.start();

        assertEquals("survives restarts", send("GET", "/sites/keep-site", null).expect(200).json()
                .get("description").asText());
        assertEquals("10.50.0.0/24", send("GET", "/networks/keep-net", null).expect(200).json()
                .get("ipv4Prefix").asText());
        send("GET", "/images/keep-img", null).expect(200);

        // The distribution as shipped (no remote repository, empty data/repository) swaps its driver offline.
        karaf.client("feature:uninstall widecloud-driver-kvm");
        await().until(() -> "NO_DRIVER".equals(send("GET", "/hosts/local", null).json().path("state").asText()));
        karaf.client("feature:install widecloud-driver-kvm");
        await().until(() -> "UP".equals(send("GET", "/hosts/local", null).json().path("state").asText()));
        if (libvirtd) {
            String a = stoppedBehind;
            String b = startedBehind;
            await().until(() -> "STOPPED".equals(state(a)));
            await().until(() -> "RUNNING".equals(state(b)));
            // ... and the controller can act on both again.
            String job = send("POST", "/vms/" + b + "/destroy", null).expect(202).json().get("id").asText();
            await().until(() -> "SUCCEEDED".equals(send("GET", "/jobs/" + job, null).json().get("state").asText()));
            assertEquals("shut off", exec(Duration.ofSeconds(30), "virsh", "-c", QEMU, "domstate", b).trim());
            for (String vm : List.of(a, b)) {
                String del = send("DELETE", "/vms/" + vm, null).expect(202).json().get("id").asText();
                await().until(() -> "SUCCEEDED".equals(send("GET", "/jobs/" + del, null).json().get("state").asText()));
            }
        }
        // The first start made the default storage pool once the local backend was there; it survived the restart.
        JsonNode pool = send("GET", "/pools/local", null).expect(200).json();
        assertEquals("local", pool.get("backend").asText());
        assertTrue(pool.toString(), pool.get("capacityBytes").asLong() > 0);
        // Deleting it undefines its libvirt pool on the host (the machine's libvirtd keeps nothing of this test).
        send("DELETE", "/pools/local", null).expect(204);
        karaf.stop();
    }

    @After
    public void cleanUp() {
        if (karaf != null) {
            karaf.close();
        }
        for (String d : domains) {
            quietly("virsh", "-c", QEMU, "destroy", d);
            quietly("virsh", "-c", QEMU, "undefine", d);
        }
    }

    // ------------------------------------------------------------------ REST and libvirt

    private String qemuHost() {
        for (JsonNode h : send("GET", "/hosts?limit=1000", null).expect(200).json().get("items")) {
            if (QEMU.equals(h.get("uri").asText())) {
                String name = h.get("name").asText();
                await().until(() -> "UP".equals(send("GET", "/hosts/" + name, null).json().get("state").asText()));
                return name;
            }
        }
        send("POST", "/hosts", Map.of("name", "keep-host", "site", "keep-site", "driver", "kvm", "uri", QEMU))
                .expect(201);
        return "keep-host";
    }

    /** A new VM on {@code host}, running when {@code running}, else defined and never started. */
    private String vm(String host, boolean running) {
        String name = "itest-keep-" + UUID.randomUUID().toString().substring(0, 8);
        domains.add(name);
        JsonNode job = send("POST", "/vms", Map.of("name", name, "host", host, "vcpus", 1, "memoryMiB", 128, "image",
                "keep-img", "nics", List.of(), "start", running)).expect(202).json();
        String id = job.get("id").asText();
        await().until(() -> "SUCCEEDED".equals(send("GET", "/jobs/" + id, null).json().get("state").asText()));
        assertEquals(running ? "RUNNING" : "DEFINED", state(name));
        return name;
    }

    private String state(String vm) {
        return send("GET", "/vms/" + vm, null).expect(200).json().get("state").asText();
    }

    private WidecloudTestSupport.Response send(String method, String path, Object body) {
        return karaf.send(method, path, body);
    }

    private static ConditionFactory await() {
        return KarafProcess.await(KarafProcess.BOOT);
    }

    private static String exec(Duration timeout, String... command) {
        return KarafProcess.exec(timeout, command);
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // nothing to clean
        }
    }
}
