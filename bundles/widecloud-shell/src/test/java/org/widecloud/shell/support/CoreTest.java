package org.widecloud.shell.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.service.Requests;
import org.widecloud.core.CoreFixture;
import org.widecloud.driver.kvm.KvmDriver;
import org.widecloud.storage.iscsi.IscsiBackend;
import org.widecloud.storage.local.LocalStorageBackend;
import org.widecloud.store.jdbc.JdbcCloudStore;

/** Commands against the real core services on the real JDBC store (in-memory H2), wired by hand. */
public abstract class CoreTest {
    @TempDir
    protected Path files;
    protected JdbcCloudStore store;
    protected CoreFixture core;
    private final List<KvmDriver> drivers = new ArrayList<>();

    @BeforeEach
    void openCore() {
        store = JdbcCloudStore.open("h2", "jdbc:h2:mem:shell-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null,
                4);
        core = new CoreFixture(store);
    }

    /**
     * Installs the real KVM driver (it runs on libvirt's built-in test hypervisor, {@code test:///default}).
     * It is closed after core, so that no late libvirt event reaches a closed core.
     */
    protected KvmDriver installKvmDriver() {
        KvmDriver driver = new KvmDriver();
        core.withDriver(driver);
        drivers.add(driver);
        return driver;
    }

    /**
     * Site {@code lyon} with host {@code h1} on the real KVM driver ({@code test:///default}), and the real storage
     * backends: {@code local} (libvirt dir pools, in memory on the test hypervisor) and {@code iscsi} (whose
     * pools are only read here: no storage server is reached).
     */
    protected void installStorage() {
        installKvmDriver();
        installStorageBackends();
        core.sites.create("alice", new Requests.SiteCreate("lyon", null));
        core.hosts.create("alice", new Requests.HostCreate("h1", "lyon", "kvm", "test:///default"));
    }

    /** The storage backends only, for tests that make their own inventory. */
    protected void installStorageBackends() {
        core.withStorage(new LocalStorageBackend()).withStorage(new IscsiBackend(host -> {
            throw new IllegalStateException("this test reaches no storage server");
        }, null));
    }

    /** An iSCSI pool as stored (wide-area), with a CHAP secret; returns the secret. */
    protected String storedIscsiPool(String name) {
        String secret = "s3cret-chap-12";
        store.insertPool(new Pool(UUID.randomUUID().toString(), name, null, "iscsi", Map.of("server.executor",
                "local", "portal", "127.0.0.1:3260", "iqn.prefix", "iqn.2026-11.org.widecloud", "path",
                "/var/lib/widecloud/iscsi", "chap.user", "wc", "chap.secret", secret), 1L << 30, 0,
                PoolState.ACTIVE, null, null, 0));
        return secret;
    }

    /**
     * A real disk image made with qemu-img in the test's folder (core reads a disk image with qemu-img when it
     * is registered or imported); the path.
     */
    protected String diskFile(String name, String format, long bytes) throws Exception {
        Path file = files.resolve(name);
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", format, file.toString(),
                Long.toString(bytes)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("qemu-img create failed: " + out);
        }
        return file.toString();
    }

    @AfterEach
    void closeCore() {
        core.close();
        drivers.forEach(KvmDriver::close);
        store.close();
    }

    /** Runs a command as user {@code user} in a headless session (no terminal, as Pax Exam and scripts run it). */
    protected static ShellRun.Result run(CloudAction action, String user) throws Exception {
        action.setSession(ShellRun.session(0, Map.of("USER", user)));
        return ShellRun.run(action);
    }

    protected static ShellRun.Result run(CloudAction action) throws Exception {
        return run(action, "alice");
    }

    /** Runs a command that must succeed; its result. */
    protected static ShellRun.Result ok(CloudAction action) throws Exception {
        ShellRun.Result r = run(action);
        if (r.error() != null) {
            throw new AssertionError("the command failed: " + r.error());
        }
        return r;
    }

    /** The value of line {@code key} of a "Key : value" listing (show commands); null if there is none. */
    public static String detail(String output, String key) {
        return output.lines().filter(l -> l.matches(Pattern.quote(key) + " *: .*"))
                .map(l -> l.substring(l.indexOf(" : ") + 3)).findFirst().orElse(null);
    }

    /**
     * The rows of a --no-format table: one per line, cells separated by tabs (Karaf's no-format separator) and
     * padded to the column's width, which is trimmed here.
     */
    protected static List<List<String>> rows(String noFormatOutput) {
        return noFormatOutput.lines().filter(l -> !l.isEmpty())
                .map(l -> Arrays.stream(l.split("\t", -1)).map(String::strip).toList()).toList();
    }
}
