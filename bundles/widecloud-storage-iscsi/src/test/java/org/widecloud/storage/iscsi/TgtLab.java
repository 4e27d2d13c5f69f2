package org.widecloud.storage.iscsi;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.widecloud.api.spi.StorageBackend.PoolRef;
import org.widecloud.driver.libvirt.TestEnvironment;
import org.widecloud.executor.HostExecutorsService;

/**
 * The machine's real tgtd on 127.0.0.1:3260 (started by scripts/setup-test-env.sh) and libiscsi's and QEMU's
 * user-space initiators. Each test run has its own IQN prefix, CHAP user and directory, and {@link #close()} removes
 * every target and account it made, so runs and other users of the same tgtd do not meet.
 */
final class TgtLab implements AutoCloseable {
    static final String PORTAL = "127.0.0.1:3260";
    private static final SecureRandom RANDOM = new SecureRandom();

    final String run = HexFormat.of().formatHex(RANDOM.generateSeed(4));
    final String iqnPrefix = "iqn.2026-11.org.widecloud.test:" + run;
    final HostExecutorsService executors = new HostExecutorsService(null, null, false, Duration.ofSeconds(5),
            Duration.ofSeconds(60));
    final Path root;
    private final List<String> users = new ArrayList<>();

    TgtLab() throws IOException {
        root = Files.createDirectories(Path.of("/var/tmp/widecloud-iscsi-test-" + run));
    }

    /** Skips (or fails under CI=true) unless root, the tools and a tgtd on 127.0.0.1:3260 are here. */
    static void need() {
        TestEnvironment.require(uid() == 0, "needs root (tgtadm talks to tgtd over a root-only socket)");
        for (String[] tool : new String[][] {{"/usr/sbin/tgtadm", "tgt"}, {"/usr/bin/iscsi-ls", "libiscsi-bin"},
                {"/usr/bin/iscsi-readcapacity16", "libiscsi-bin"}, {"/usr/bin/qemu-img", "qemu-utils"},
                {"/usr/bin/qemu-io", "qemu-utils"}}) {
            TestEnvironment.require(Files.isExecutable(Path.of(tool[0])),
                    "needs " + tool[0] + " (Debian package " + tool[1] + ")");
        }
        TestEnvironment.require(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so")),
                "needs QEMU's iSCSI block driver (Debian package qemu-block-extra)");
        TestEnvironment.require(listening(), "needs tgtd listening on " + PORTAL
                + " (scripts/setup-test-env.sh starts it: tgtd --iscsi portal=" + PORTAL + ")");
    }

    private static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 3260), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A pool of this run: its own CHAP user and a 14-character random secret, its own directory. */
    PoolRef pool(String name, Map<String, String> extra) {
        String user = "wct-" + run + "-" + name;
        users.add(user);
        Map<String, String> p = new HashMap<>(Map.of("server.executor", "local", "portal", PORTAL, "iqn.prefix",
                iqnPrefix, "path", root.resolve(name).toString(), "chap.user", user, "chap.secret", secret()));
        p.putAll(extra);
        return new PoolRef("pool-" + run + "-" + name, name, null, p);
    }

    static String secret() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** {@code iscsi://user%secret@127.0.0.1:3260/} plus {@code rest}: libiscsi's and QEMU's URL form. */
    static String url(String user, String secret, String rest) {
        return "iscsi://" + (user == null ? "" : user + "%" + secret + "@") + PORTAL + "/" + rest;
    }

    static String url(PoolRef pool, String rest) {
        return url(pool.parameters().get("chap.user"), pool.parameters().get("chap.secret"), rest);
    }

    /** The LUN's size as the initiator reads it (READ CAPACITY(16)); -1 when it cannot log in. */
    static long capacity(String lunUrl) {
        Out o = run(List.of("iscsi-readcapacity16", lunUrl));
        for (String line : o.stdout.split("\n")) {
            if (line.startsWith("Total size:")) {
                return Long.parseLong(line.substring("Total size:".length()).strip());
            }
        }
        return -1;
    }

    /** The tgtd's targets as tgtadm lists them. */
    static TgtTargets targets() {
        return TgtTargets.parse(run(List.of("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show")).stdout);
    }

    /** What tgtd loses when it restarts: this run's targets and accounts. */
    void forgetTargetsAndAccounts() {
        for (TgtTargets.Target t : targets().byName().values()) {
            if (t.name().startsWith(iqnPrefix + ":")) {
                run(List.of("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid",
                        Integer.toString(t.tid())));
            }
        }
        for (String u : users) {
            run(List.of("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", u));
        }
    }

    @Override
    public void close() throws IOException {
        forgetTargetsAndAccounts();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    record Out(int exit, String stdout, String stderr) {
    }

    static Out run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                    "/dev/null"))).start();
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(argv.get(0) + " did not finish within 60 s");
            }
            return new Out(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int uid() {
        Out o = run(List.of("id", "-u"));
        try {
            return Integer.parseInt(o.stdout.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
