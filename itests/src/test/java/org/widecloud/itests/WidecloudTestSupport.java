package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.Assume;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Boots the real widecloud distribution (the reactor's tar.gz) in Pax Exam and gives the tests what Karaf's
 * {@code KarafTestSupport} gives (shell commands, service lookups with timeouts) plus a REST client with HTTP
 * Basic authentication. Test code runs inside the container; assertions go through the REST API wherever they
 * can, so they test what clients see.
 */
public abstract class WidecloudTestSupport {

    protected static final String USER = "karaf";
    protected static final String PASSWORD = "karaf";
    protected static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    protected static final String LIBVIRT_SOCKET = "/run/libvirt/libvirt-sock";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // ------------------------------------------------------------------ configuration (runs in the test JVM)

    @Configuration
    public Option[] config() {
        String distribution = required("widecloud.distribution");
        String karafVersion = required("karaf.version");
        String localRepository = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        int httpPort = freePort();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(distribution).toURI().toString())
                        .karafVersion(karafVersion)
                        .name("widecloud")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                // Kept so that data/log/karaf.log of a failed run can be read (target/exam/<uuid>).
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                // Free ports: a developer's own widecloud (8181, 8101, 1099, 44444) may be running.
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                        String.valueOf(httpPort)),
                systemProperty("widecloud.itest.http.port").value(String.valueOf(httpPort)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                        String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                        String.valueOf(freePort())),
                // The distribution is hermetic; Pax Exam's own bundles come from the build's local repository.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        localRepository),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.defaultLocalRepoAsRemote", "true"),
                // No first-start site/host: it would take test:///default (one host per URI) where no libvirtd
                // runs, and the tests make the hosts they need.
                editConfigurationFilePut("etc/org.widecloud.core.cfg", "bootstrap", "false"),
                mavenBundle(maven("org.awaitility", "awaitility", System.getProperty("awaitility.version", "3.1.6"))),
                systemProperty("widecloud.repo").value(System.getProperty("widecloud.repo", "..")),
                systemProperty("widecloud.ci").value(String.valueOf("true".equals(System.getenv("CI")))),
                systemProperty("widecloud.lab.dir").value(labDirectory())));
        options.addAll(javaOptions(karafVersion));
        options.addAll(List.of(extraOptions()));
        return options.toArray(new Option[0]);
    }

    /** More options of a test class (e.g. configuration it needs before the boot). */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /** The flags bin/karaf gives Java 9+ (Pax Exam starts Karaf's JVM itself) and the zip64 flag of bin/setenv. */
    private static List<Option> javaOptions(String karafVersion) {
        List<Option> o = new ArrayList<>();
        for (String flag : new String[] {
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*",
                "-Djdk.util.zip.disableZip64ExtraFieldValidation=true",
                "-Xmx768m" }) {
            o.add(vmOption(flag));
        }
        return o;
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the itests with mvn verify");
        }
        return v;
    }

    static String labDirectory() {
        String dir = System.getenv("WIDECLOUD_LAB_DIR");
        return dir == null || dir.isBlank() ? "/var/tmp/widecloud-lab" : dir;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ waiting

    protected static ConditionFactory await(Duration timeout) {
        return Awaitility.await().atMost(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .pollInterval(100, TimeUnit.MILLISECONDS).ignoreExceptions();
    }

    /** A service of the container, waiting for it at most {@code timeout}. */
    protected <T> T service(Class<T> type, String filter, Duration timeout) {
        try {
            String f = filter == null ? "(objectClass=" + type.getName() + ")"
                    : "(&(objectClass=" + type.getName() + ")" + filter + ")";
            ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, bundleContext.createFilter(f), null);
            tracker.open(true);
            T s = tracker.waitForService(timeout.toMillis());
            if (s == null) {
                fail("no service " + f + " within " + timeout);
            }
            return s;
        } catch (Exception e) {
            throw new AssertionError("looking up " + type.getName(), e);
        }
    }

    // ------------------------------------------------------------------ environment

    protected static boolean underCi() {
        return Boolean.getBoolean("widecloud.ci");
    }

    /** Skips (or fails under CI=true) a test that needs the machine's libvirtd. */
    protected static void assumeLibvirtd() {
        boolean present = Files.exists(Path.of(LIBVIRT_SOCKET));
        if (!present && underCi()) {
            fail("CI=true but " + LIBVIRT_SOCKET + " is absent: libvirtd must run (scripts/setup-test-env.sh starts it)");
        }
        Assume.assumeTrue("skipped: no libvirtd here (" + LIBVIRT_SOCKET + " is absent); "
                + "run scripts/setup-test-env.sh as root to start one", present);
    }

    /** Runs a command of this machine (argument vector, no shell); returns its output, failing on a non-zero exit. */
    protected static String run(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeout);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(String.join(" ", command) + " failed: " + out, 0, p.exitValue());
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A small real qcow2 file for disk images (the controller reads an image with qemu-img when it is
     * registered); made once with qemu-img.
     */
    protected static String sampleDisk() {
        Path disk = Path.of("/var/tmp/widecloud-itest/disk.qcow2");
        if (!Files.exists(disk)) {
            try {
                Files.createDirectories(disk.getParent());
            } catch (IOException e) {
                throw new AssertionError("cannot create " + disk.getParent(), e);
            }
            run(Duration.ofSeconds(30), "qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M");
        }
        return disk.toString();
    }

    // ------------------------------------------------------------------ shell

    /** Runs a Karaf shell command as user karaf with the admin role; returns what it printed. */
    protected String executeCommand(String command) {
        return executeCommand(command, Duration.ofSeconds(60));
    }

    protected String executeCommand(String command, Duration timeout) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(USER));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("manager"));
        subject.getPrincipals().add(new RolePrincipal("viewer"));
        subject.getPrincipals().add(new RolePrincipal("systembundles"));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Object> result = executor.submit(() -> Subject.doAs(subject,
                    (PrivilegedExceptionAction<Object>) () -> {
                        Session session = sessionFactory.create(System.in, out, out);
                        try {
                            return session.execute(command);
                        } finally {
                            session.close();
                        }
                    }));
            result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Karaf reports a failed command as an exception: keep its message with the output.
            out.println("Error: " + rootMessage(e));
        } finally {
            executor.shutdownNow();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The message of the shell's CommandException if there is one in the chain, else of the root cause. */
    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof org.apache.karaf.shell.support.CommandException) {
                break;
            }
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    // ------------------------------------------------------------------ REST

    protected int httpPort() {
        return Integer.getInteger("widecloud.itest.http.port", 8181);
    }

    protected URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + "/api/v1" + path);
    }

    /** A REST call as karaf/karaf; {@code body} is JSON text or null. */
    protected Response call(String method, String path, String body) {
        return call(method, path, body, USER, PASSWORD, null);
    }

    protected Response call(String method, String path, String body, String user, String password, String prefer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api(path)).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (prefer != null) {
            b.header("Prefer", prefer);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(method + " " + path, r.statusCode(), r.body(),
                    r.headers().firstValue("Location").orElse(null),
                    r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected JsonNode get(String path) {
        return call("GET", path, null).expect(200).json();
    }

    protected JsonNode post(String path, String body, int status) {
        return call("POST", path, body).expect(status).json();
    }

    /**
     * Runs a job-returning call (202 + Location of the job + the job as body) and waits for the job to end;
     * returns the finished job.
     */
    protected JsonNode job(String method, String path, String body) {
        Response r = call(method, path, body).expect(202);
        JsonNode job = r.json();
        String id = job.get("id").asText();
        assertTrue(r + ": Location should name the job", r.location() != null && r.location().endsWith("/jobs/" + id));
        await(Duration.ofSeconds(120)).until(() -> isDone(get("/jobs/" + id)));
        return get("/jobs/" + id);
    }

    /** Like {@link #job} and asserts the job succeeded. */
    protected JsonNode succeeded(String method, String path, String body) {
        JsonNode job = job(method, path, body);
        assertEquals(method + " " + path + " -> job " + job, "SUCCEEDED", job.get("state").asText());
        return job;
    }

    private static boolean isDone(JsonNode job) {
        String s = job.get("state").asText();
        return "SUCCEEDED".equals(s) || "FAILED".equals(s);
    }

    protected static String json(Object... keyValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return node.toString();
    }

    /** An HTTP response: status, body, Location. */
    protected record Response(String request, int status, String body, String location, String contentType,
            String wwwAuthenticate) {

        public Response expect(int expected) {
            assertEquals(this.toString(), expected, status);
            return this;
        }

        public JsonNode json() {
            try {
                return body == null || body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(this + ": not JSON", e);
            }
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + body;
        }
    }
}
