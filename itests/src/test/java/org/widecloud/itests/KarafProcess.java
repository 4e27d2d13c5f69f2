package org.widecloud.itests;

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
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The distribution as an operator runs it: the reactor's tar.gz unpacked once, started with its own
 * {@code bin/karaf server} (as often as a test needs, on the same folder), stopped with {@code bin/stop} or killed
 * with SIGKILL like a crash, driven through REST and {@code bin/client}. Not Pax Exam: its container can neither
 * restart nor be killed. Free ports, so that a developer's own widecloud may run meanwhile. Test-framework neutral
 * (JUnit 4 and Jupiter tests use it): failures are {@link AssertionError}s.
 */
final class KarafProcess implements AutoCloseable {
    static final Duration BOOT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final int port;
    private final int sshPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process karaf;

    private KarafProcess(Path home, int port, int sshPort) {
        this.home = home;
        this.port = port;
        this.sshPort = sshPort;
    }

    /** Unpacks the distribution under {@code target/<folder>/<random>} and gives it free ports. */
    static KarafProcess unpack(String folder) throws IOException {
        Path dir = Path.of("target", folder, UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(dir);
        exec(Duration.ofMinutes(2), "tar", "-xzf", System.getProperty("widecloud.distribution"), "-C", dir.toString());
        Path home;
        try (var entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        KarafProcess k = new KarafProcess(home, freePort(), freePort());
        k.set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(k.port));
        k.set("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(k.sshPort));
        k.set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort()));
        k.set("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort()));
        return k;
    }

    Path home() {
        return home;
    }

    /** Sets {@code key} in a .cfg file of the unpacked distribution (replacing its line, or appending one). */
    void set(String file, String key, String value) throws IOException {
        Path p = home.resolve(file);
        String text = Files.exists(p) ? Files.readString(p) : "";
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        text = m.find() ? m.replaceAll(Matcher.quoteReplacement(key + " = " + value))
                : text + "\n" + key + " = " + value + "\n";
        Files.writeString(p, text);
    }

    /** Adds a feature (from the distribution's own system/) to the features installed at every boot. */
    void bootFeature(String feature) throws IOException {
        Path p = home.resolve("etc/org.apache.karaf.features.cfg");
        String text = Files.readString(p);
        String head = "featuresBoot = \\\n";
        if (!text.contains(head)) {
            throw new AssertionError("no '" + head.strip() + "' in " + p);
        }
        Files.writeString(p, text.replace(head, head + "    " + feature + ", \\\n"));
    }

    /**
     * {@code bin/karaf server} with {@code javaOptions} in {@code EXTRA_JAVA_OPTS}; returns when REST answers.
     * Prints how long that took. Aries JAX-RS Whiteboard 2.0.2 sometimes loses the REST application at boot (a
     * ConcurrentModificationException in its event dispatch, in karaf.log; then every path answers "No service was
     * found" for good): only in that case Karaf is killed and booted once more, and the output says so.
     */
    void start(String... javaOptions) throws IOException {
        long logStart = logSize();
        try {
            boot(Duration.ofSeconds(60), javaOptions);
        } catch (ConditionTimeoutException e) {
            String log = logSince(logStart);
            if (!alive() || !log.contains("ConcurrentModificationException") || !log.contains("jax.rs.whiteboard")) {
                throw new AssertionError("REST did not answer within 60 s of bin/karaf server: see "
                        + home.resolve("data/log/karaf.log"), e);
            }
            System.out.println("KarafProcess: REST never came up: the JAX-RS whiteboard lost the application at boot "
                    + "(ConcurrentModificationException in karaf.log); SIGKILL and one more boot");
            try {
                kill9();
            } catch (Exception k) {
                throw new AssertionError("cannot kill Karaf after the whiteboard failure", k);
            }
            boot(BOOT, javaOptions);
        }
    }

    private void boot(Duration timeout, String... javaOptions) throws IOException {
        if (alive()) {
            throw new AssertionError("Karaf runs already");
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("karaf-console.log").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("EXTRA_JAVA_OPTS", String.join(" ", javaOptions));
        long t0 = System.nanoTime();
        karaf = pb.start();
        await(timeout).until(() -> {
            if (!karaf.isAlive()) {
                throw new AssertionError("Karaf exited early: see " + home.resolve("data/log/karaf.log"));
            }
            return send("GET", "/sites", null).status() == 200;
        });
        System.out.printf("KarafProcess: REST answered %d ms after bin/karaf server %s%n",
                (System.nanoTime() - t0) / 1_000_000, String.join(" ", javaOptions));
    }

    private long logSize() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(home.resolve("data/log/karaf.log"));
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    boolean alive() {
        return karaf != null && karaf.isAlive();
    }

    /** Karaf's JVM: bin/karaf (a shell loop that restarts it on request) runs it as a child. */
    ProcessHandle jvm() {
        if (!alive()) {
            throw new AssertionError("Karaf does not run");
        }
        Optional<ProcessHandle> java = karaf.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
        return java.orElseThrow(() -> new AssertionError("no java process under bin/karaf (pid " + karaf.pid() + ")"));
    }

    /** SIGKILL to Karaf's JVM, as a crash or an OOM killer would: no shutdown hook, no bundle stops. */
    long kill9() throws Exception {
        ProcessHandle jvm = jvm();
        if (!jvm.destroyForcibly()) {
            throw new AssertionError("cannot SIGKILL " + jvm.pid());
        }
        jvm.onExit().get(30, TimeUnit.SECONDS);
        if (!karaf.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("bin/karaf did not end after its JVM was killed");
        }
        return jvm.pid();
    }

    /** {@code bin/stop}: a clean stop. */
    void stop() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.start().waitFor(60, TimeUnit.SECONDS);
        if (!karaf.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("Karaf did not stop within 60 s");
        }
    }

    /** A shell command through the distribution's own bin/client over SSH (non-TTY: stdin, -b). */
    String client(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-u", "karaf", "-p", "karaf", "-b").directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            throw new AssertionError("bin/client " + command + " did not end");
        }
        if (p.exitValue() != 0 || out.contains("Error")) {
            throw new AssertionError(command + ": " + out);
        }
        return out;
    }

    /**
     * A REST call as karaf/karaf; {@code body} is serialised to JSON. A connection failure is status -1. CXF's own
     * "No service was found" (HTML, not our problem+json) comes back while the REST resources are still being
     * registered after a boot, even after other paths answered: the call is repeated for up to 15 s then.
     */
    WidecloudTestSupport.Response send(String method, String path, Object body) {
        // Safe to repeat, a POST too: CXF answered it without reaching any resource.
        AtomicReference<WidecloudTestSupport.Response> last = new AtomicReference<>(sendOnce(method, path, body));
        if (noServiceYet(last.get())) {
            try {
                await(Duration.ofSeconds(15)).pollInterval(100, TimeUnit.MILLISECONDS).until(() -> {
                    last.set(sendOnce(method, path, body));
                    return !noServiceYet(last.get());
                });
            } catch (ConditionTimeoutException e) {
                // the caller sees the last answer
            }
        }
        return last.get();
    }

    private static boolean noServiceYet(WidecloudTestSupport.Response r) {
        return r.status() == 404 && r.body().contains("No service was found");
    }

    private WidecloudTestSupport.Response sendOnce(String method, String path, Object body) {
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

    /** Posts {@code body} to a job-returning path and waits for the job to end; returns the ended job. */
    com.fasterxml.jackson.databind.JsonNode job(String path, Map<String, ?> body, Duration timeout) {
        String id = send("POST", path, body).expect(202).json().get("id").asText();
        await(timeout).until(() -> {
            String s = send("GET", "/jobs/" + id, null).json().path("state").asText();
            return "SUCCEEDED".equals(s) || "FAILED".equals(s);
        });
        return send("GET", "/jobs/" + id, null).expect(200).json();
    }

    /** The last lines of data/log/karaf.log, for a failure message. */
    String logTail(int lines) {
        try {
            var all = Files.readAllLines(home.resolve("data/log/karaf.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no karaf.log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (karaf != null) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
        }
    }

    static ConditionFactory await(Duration timeout) {
        return Awaitility.await().atMost(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .pollInterval(200, TimeUnit.MILLISECONDS);
    }

    /** Runs a command (argument vector, no shell); returns its output, failing on a non-zero exit. */
    static String exec(Duration timeout, String... command) {
        return WidecloudTestSupport.run(timeout, command);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
