package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOOT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> domains = new ArrayList<>();
    private Path home;
    private Process karaf;
    private int port;
    private int sshPort;

    @Test
    public void everythingSurvivesARestartAndStatesAreReconciled() throws Exception {
        boolean libvirtd = Files.exists(Path.of(WidecloudTestSupport.LIBVIRT_SOCKET));
        if (!libvirtd && "true".equals(System.getenv("CI"))) {
            fail("CI=true but no libvirtd (" + WidecloudTestSupport.LIBVIRT_SOCKET + "): run scripts/setup-test-env.sh");
        }
        unpack();
        start();

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
            send("POST", "/images", Map.of("name", "keep-img", "path", "/var/tmp/widecloud-itest/disk.qcow2"))
                    .expect(201);
        }

        stop();
        if (libvirtd) {
            exec(Duration.ofSeconds(30), "virsh", "-c", QEMU, "destroy", stoppedBehind);
            exec(Duration.ofSeconds(30), "virsh", "-c", QEMU, "start", startedBehind);
        }
        start();

        assertEquals("survives restarts", send("GET", "/sites/keep-site", null).expect(200).json()
                .get("description").asText());
        assertEquals("10.50.0.0/24", send("GET", "/networks/keep-net", null).expect(200).json()
                .get("ipv4Prefix").asText());
        send("GET", "/images/keep-img", null).expect(200);

        // The distribution as shipped (no remote repository, empty data/repository) swaps its driver offline.
        client("feature:uninstall widecloud-driver-kvm");
        await().until(() -> "NO_DRIVER".equals(send("GET", "/hosts/local", null).json().path("state").asText()));
        client("feature:install widecloud-driver-kvm");
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
        stop();
    }

    @After
    public void cleanUp() {
        if (karaf != null && karaf.isAlive()) {
            karaf.destroyForcibly();
        }
        for (String d : domains) {
            quietly("virsh", "-c", QEMU, "destroy", d);
            quietly("virsh", "-c", QEMU, "undefine", d);
        }
    }

    // ------------------------------------------------------------------ the distribution as a process

    private void unpack() throws IOException {
        Path dir = Path.of("target", "restart-it", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(dir);
        exec(Duration.ofMinutes(2), "tar", "-xzf", System.getProperty("widecloud.distribution"), "-C", dir.toString());
        try (var entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        port = freePort();
        set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(port));
        sshPort = freePort();
        set("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort));
        set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort()));
        set("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort()));
    }

    /** Sets {@code key} in a .cfg file of the unpacked distribution (replacing its line, or appending one). */
    private void set(String file, String key, String value) throws IOException {
        Path p = home.resolve(file);
        String text = Files.exists(p) ? Files.readString(p) : "";
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        text = m.find() ? m.replaceAll(Matcher.quoteReplacement(key + " = " + value)) : text + "\n" + key + " = " + value + "\n";
        Files.writeString(p, text);
    }

    private void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("karaf-console.log").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        karaf = pb.start();
        long t0 = System.nanoTime();
        await().until(() -> {
            assertTrue("Karaf exited early: see " + home.resolve("data/log/karaf.log"), karaf.isAlive());
            return send("GET", "/sites", null).status() == 200;
        });
        System.out.printf("RestartPersistenceIT: REST answered %d ms after bin/karaf server%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** A shell command through the distribution's own bin/client over SSH (non-TTY: stdin, -b). */
    private void client(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-u", "karaf", "-p", "karaf", "-b").directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client " + command + " did not end", p.waitFor(120, TimeUnit.SECONDS));
        assertTrue(command + ": " + out, p.exitValue() == 0 && !out.contains("Error"));
    }

    private void stop() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.start().waitFor(60, TimeUnit.SECONDS);
        if (!karaf.waitFor(60, TimeUnit.SECONDS)) {
            fail("Karaf did not stop within 60 s");
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
        try {
            String text = body == null ? null : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "karaf:karaf".getBytes(StandardCharsets.UTF_8)))
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new WidecloudTestSupport.Response(method + " " + path, r.statusCode(), r.body(),
                    r.headers().firstValue("Location").orElse(null),
                    r.headers().firstValue("Content-Type").orElse(""), null);
        } catch (IOException e) {
            return new WidecloudTestSupport.Response(method + " " + path, -1, e.toString(), null, "", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(BOOT.toMillis(), TimeUnit.MILLISECONDS)
                .pollInterval(200, TimeUnit.MILLISECONDS);
    }

    private static String exec(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeout);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // nothing to clean
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
