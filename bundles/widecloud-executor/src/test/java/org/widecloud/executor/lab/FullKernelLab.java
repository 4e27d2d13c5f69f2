package org.widecloud.executor.lab;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;
import org.widecloud.executor.HostExecutorsService;

/**
 * The full-kernel lab ({@code itests/lab/full-kernel-lab.sh}: a QEMU guest with Debian's full kernel, namespaces
 * core, ha, site-a, site-b, client and a VLAN trunk; layout in itests/lab/README.md) as a JUnit 5 fixture, driven
 * through widecloud's real SSH executor.
 *
 * <pre>
 * // pom: org.widecloud:org.widecloud.executor:${project.version}, type test-jar, scope test
 * FullKernelLab lab = FullKernelLab.get();          // boots once per JVM (~8 s) or reuses a running lab;
 *                                                   // skips without root/QEMU, fails instead under CI=true
 * HostEndpoint siteA = lab.endpoint(FullKernelLab.SITE_A); // executor ssh://root@127.0.0.1:10022?netns=site-a
 * HostExecutor ha = lab.executor(FullKernelLab.HA);  // commands run as "ip netns exec ha argv..." in the guest
 * HostExecutors executors = lab.executors();         // give this to the backend under test
 * try (FullKernelLab.Guest vm = lab.guest("vm1", FullKernelLab.SITE_A, "br-net1",
 *         List.of("10.20.0.10/24", "fd00:20::10/64"), "10.20.0.1", "fd00:20::1")) {
 *     FullKernelLab.GapMeter gap = lab.gapMeter(FullKernelLab.CLIENT, "fd00:20::10", 1000, 60);
 *     vm.moveTo(FullKernelLab.SITE_B, "br-net1");   // the "migration": port to site-b's bridge + RARP announce
 *     FullKernelLab.Gap g = gap.stop();              // sent, received, lost, longestGapMs
 * }
 * </pre>
 *
 * A guest is a namespace of its own whose {@code eth0} is a veth; the other end ({@code g-NAME} in the site's
 * namespace, the VM's tap stand-in) is enslaved to the named bridge there, which must exist (the backend under
 * test makes it). The guest runs {@code udpgap echo} on UDP port {@value #ECHO_PORT}. The gap meter runs inside
 * the lab ({@code udpgap meter} in the given namespace, e.g. client -> guest), so SSH latency does not count.
 *
 * At JVM exit the lab is stopped when tests booted it (not by hand: marker {@code full-kernel-run/started-by-tests})
 * and no other JVM uses it (each holds a shared lock on {@code $LAB/.full-kernel-users}); {@code WIDECLOUD_LAB_KEEP=1}
 * keeps it running.
 */
public final class FullKernelLab {
    public static final String CORE = "core";
    public static final String HA = "ha";
    public static final String SITE_A = "site-a";
    public static final String SITE_B = "site-b";
    public static final String CLIENT = "client";
    /** The trunk's end in site-a, site-b and client: VLAN sub-interfaces go on it ({@code eth1.<vid>}). */
    public static final String TRUNK_DEVICE = "eth1";
    public static final int ECHO_PORT = 7;
    public static final Duration T = Duration.ofSeconds(30);

    private static FullKernelLab instance;
    private static String failure;
    /** Held (strongly: a collected channel would drop the lock) for the JVM's life; see {@link #start()}. */
    private static FileChannel users;
    private static FileLock usersLock;

    private final Path labDir;
    private final String uri;
    private final HostExecutorsService executors;

    private FullKernelLab(Path labDir, String uri) {
        this.labDir = labDir;
        this.uri = uri;
        Path build = labDir.resolve("full-kernel");
        // known_hosts is written by the lab script for [127.0.0.1]:PORT: strict checking works for the lab too.
        this.executors = new HostExecutorsService(build.resolve("id_ecdsa"), build.resolve("known_hosts"), true,
                Duration.ofSeconds(10), T);
    }

    /** The lab, booted once per JVM; skips the calling test when it cannot run here (fails under CI=true). */
    public static synchronized FullKernelLab get() {
        if (instance == null && failure == null) {
            try {
                instance = start();
            } catch (org.opentest4j.TestAbortedException | AssertionError e) {
                failure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
                e.printStackTrace();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted while starting";
            }
        }
        if (instance == null) {
            need(false, "the full-kernel lab cannot start: " + failure);
        }
        return instance;
    }

    private static void need(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " (CI=true: this test must run)");
        }
        assumeTrue(false, what + ": skipped");
    }

    private static FullKernelLab start() throws IOException, InterruptedException {
        need("root".equals(System.getProperty("user.name")), "the full-kernel lab needs root (it builds an "
                + "initramfs with device nodes and installs packages)");
        need(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "the full-kernel lab needs /usr/bin/qemu-system-x86_64 (Debian package qemu-system-x86)");
        Path script = script();
        Path labDir = Path.of(System.getenv().getOrDefault("WIDECLOUD_LAB_DIR", "/var/tmp/widecloud-lab"));
        Files.createDirectories(labDir);
        // Held for the JVM's life: another JVM's shutdown sees it and leaves the lab running.
        users = FileChannel.open(labDir.resolve(".full-kernel-users"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        usersLock = users.lock(0, Long.MAX_VALUE, true);
        boolean wasRunning = sh(script, "status").exitCode == 0;
        Sh up = sh(script, "up"); // reuses a running lab booted from the current build
        if (up.exitCode != 0) {
            throw new IllegalStateException(script + " up exited " + up.exitCode + ": " + up.output.strip());
        }
        String uri = up.output.lines().filter(l -> l.startsWith("ssh://")).reduce((a, b) -> b).orElseThrow(
                () -> new IllegalStateException(script + " printed no ssh:// URI: " + up.output));
        FullKernelLab lab = new FullKernelLab(labDir, uri);
        Path marker = labDir.resolve("full-kernel-run/started-by-tests");
        if (!wasRunning) {
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
        }
        if (System.getenv("WIDECLOUD_LAB_KEEP") == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> lab.stopIfUnused(script, marker),
                    "full-kernel-lab-down"));
        }
        return lab;
    }

    /** The last JVM using a lab that tests booted stops it; a lab someone started by hand stays. */
    private void stopIfUnused(Path script, Path marker) {
        executors.close();
        try {
            usersLock.release();
            try (FileLock exclusive = users.tryLock(0, Long.MAX_VALUE, false)) {
                if (exclusive != null && Files.exists(marker)) {
                    sh(script, "down");
                }
            }
            users.close();
        } catch (IOException e) {
            // the lab stays up: full-kernel-lab.sh down stops it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** itests/lab/full-kernel-lab.sh, looked up from the working directory (a module) upwards. */
    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("itests/lab/full-kernel-lab.sh");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException("itests/lab/full-kernel-lab.sh not found above "
                + Path.of("").toAbsolutePath());
    }

    private record Sh(int exitCode, String output) {
    }

    private static Sh sh(Path script, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script.toString(), command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Sh(p.waitFor(), out);
    }

    /** {@code ssh://root@127.0.0.1:PORT}: the guest's root namespace. */
    public String uri() {
        return uri;
    }

    public Path labDir() {
        return labDir;
    }

    /** The executors (the real service, configured with the lab's key and known_hosts) to hand to a backend. */
    public HostExecutorsService executors() {
        return executors;
    }

    /** Runs commands in the lab namespace {@code ns} (null: the guest's root namespace). */
    public HostExecutor executor(String ns) {
        return executors.forUri(executorUri(ns));
    }

    public String executorUri(String ns) {
        return ns == null ? uri : uri + "?netns=" + ns;
    }

    /**
     * A lab namespace as a widecloud host: id and name = the namespace, hypervisor URI {@code test:///default},
     * address = its IPv6 underlay address (fd00:1::2 for site-a; the care-of address), executor = SSH into it.
     */
    public HostEndpoint endpoint(String ns) {
        return new HostEndpoint(ns, ns, "test:///default", address6(ns), executorUri(ns));
    }

    /** The namespace's address on its link to core: fd00:1::2 (site-a), fd00:2::2, fd00:a::2 (ha), fd00:9::2. */
    public static String address6(String ns) {
        return "fd00:" + net(ns) + "::2";
    }

    /** 10.0.1.2 (site-a), 10.0.2.2 (site-b), 10.0.10.2 (ha), 10.0.9.2 (client). */
    public static String address4(String ns) {
        String n = net(ns);
        return "10.0." + ("a".equals(n) ? "10" : n) + ".2";
    }

    private static String net(String ns) {
        return switch (ns) {
            case SITE_A -> "1";
            case SITE_B -> "2";
            case HA -> "a";
            case CLIENT -> "9";
            default -> throw new IllegalArgumentException("no underlay address for " + ns);
        };
    }

    /** Runs {@code argv} in {@code ns} (null: the guest's root namespace) and fails unless it exits 0. */
    public HostExecutor.Result run(String ns, String... argv) {
        return executor(ns).check(List.of(argv), T);
    }

    /**
     * A guest: namespace {@code name} with eth0 = {@code addresses} (CIDR, IPv4 and/or IPv6), default routes via
     * the gateways (either may be null), {@code udpgap echo} on port {@value #ECHO_PORT}; its port
     * {@code g-NAME} is enslaved to {@code bridge} in {@code site}. A leftover of the same name is removed first.
     */
    public Guest guest(String name, String site, String bridge, List<String> addresses, String gateway4,
            String gateway6) {
        Guest g = new Guest(name);
        g.remove();
        run(null, "ip", "netns", "add", name);
        run(name, "ip", "link", "set", "lo", "up");
        run(name, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        run(null, "ip", "-n", site, "link", "add", g.port(), "type", "veth", "peer", "name", "eth0", "netns", name);
        for (String a : addresses) {
            run(null, "ip", "-n", name, "addr", "add", a, "dev", "eth0", "nodad");
        }
        run(null, "ip", "-n", name, "link", "set", "eth0", "up");
        if (gateway4 != null) {
            run(null, "ip", "-n", name, "route", "add", "default", "via", gateway4);
        }
        if (gateway6 != null) {
            run(null, "ip", "-n", name, "-6", "route", "add", "default", "via", gateway6);
        }
        run(name, "udpgap", "echo", "-d", String.valueOf(ECHO_PORT));
        g.site = site;
        g.plug(bridge);
        return g;
    }

    /** A guest namespace (see {@link #guest}); {@link #close()} removes it and its responder. */
    public final class Guest implements AutoCloseable {
        private final String name;
        private volatile String site;

        private Guest(String name) {
            if (!name.matches("[a-z][a-z0-9-]{0,11}")) {
                throw new IllegalArgumentException("guest name: a-z, 0-9, '-', at most 12 (the port is g-NAME)");
            }
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** The site-side end of the guest's veth (the VM's tap stand-in): {@code g-NAME}. */
        public String port() {
            return "g-" + name;
        }

        public String site() {
            return site;
        }

        /** The guest's eth0 MAC address. */
        public String mac() {
            String out = run(null, "ip", "-n", name, "-br", "link", "show", "eth0").stdout().strip();
            return out.split("\\s+")[2];
        }

        private void plug(String bridge) {
            run(null, "ip", "-n", site, "link", "set", port(), "master", bridge, "up");
        }

        /**
         * The data-plane part of a migration: the port leaves its site for {@code newSite}'s {@code bridge}, then
         * the guest announces itself as QEMU does after a migration (RARP broadcast), so the bridges learn.
         */
        public void moveTo(String newSite, String bridge) {
            run(null, "ip", "-n", site, "link", "set", port(), "netns", newSite);
            site = newSite;
            plug(bridge);
            announce();
        }

        /** QEMU's self-announce (three RARP frames, as QEMU sends by default after a migration). */
        public void announce() {
            run(name, "udpgap", "announce", "eth0", "3");
        }

        private void remove() {
            HostExecutor root = executor(null);
            HostExecutor.Result pids = root.run(List.of("ip", "netns", "pids", name), T);
            if (pids.exitCode() == 0) {
                List<String> kill = new ArrayList<>(List.of("kill", "-9"));
                pids.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(kill::add);
                if (kill.size() > 2) {
                    root.run(kill, T);
                }
            }
            for (String s : List.of(SITE_A, SITE_B)) {
                root.run(List.of("ip", "-n", s, "link", "del", port()), T);
            }
            root.run(List.of("ip", "netns", "del", name), T);
        }

        @Override
        public void close() {
            remove();
        }
    }

    /**
     * Starts {@code udpgap meter} in {@code ns} towards {@code address}:{@value #ECHO_PORT} at {@code rate}
     * datagrams/s for at most {@code maxSeconds}; returns once it runs. {@link GapMeter#stop()} ends it.
     */
    public GapMeter gapMeter(String ns, String address, int rate, int maxSeconds) {
        return new GapMeter(ns, address, rate, maxSeconds);
    }

    /** What a gap meter saw: lost datagrams and the longest time without an echo. */
    public record Gap(long sent, long received, long lost, double longestGapMs, double firstReplyMs) {
        static Gap parse(String line) {
            java.util.Map<String, String> kv = new java.util.HashMap<>();
            for (String f : line.strip().split("\\s+")) {
                int eq = f.indexOf('=');
                if (eq > 0) {
                    kv.put(f.substring(0, eq), f.substring(eq + 1));
                }
            }
            if (!kv.containsKey("lost")) {
                throw new IllegalStateException("udpgap meter printed no result: " + line);
            }
            return new Gap(Long.parseLong(kv.get("sent")), Long.parseLong(kv.get("received")),
                    Long.parseLong(kv.get("lost")), Double.parseDouble(kv.get("longest_gap_ms")),
                    Double.parseDouble(kv.get("first_reply_ms")));
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "sent %d, lost %d, longest gap %.1f ms", sent, lost,
                    longestGapMs);
        }
    }

    /** A running {@code udpgap meter} (over its own SSH channel). */
    public final class GapMeter {
        private final String pidFile;
        private final Thread thread;
        private volatile HostExecutor.Result result;
        private volatile RuntimeException error;

        private GapMeter(String ns, String address, int rate, int maxSeconds) {
            pidFile = "/run/udpgap-" + Long.toHexString(System.nanoTime()) + ".pid";
            List<String> argv = List.of("udpgap", "meter", "-p", pidFile, address, String.valueOf(ECHO_PORT),
                    String.valueOf(rate), String.valueOf(maxSeconds));
            HostExecutor ex = executor(ns);
            thread = new Thread(() -> {
                try {
                    result = ex.run(argv, Duration.ofSeconds(maxSeconds + 30L));
                } catch (RuntimeException e) {
                    error = e;
                }
            }, "udpgap-meter");
            thread.setDaemon(true);
            thread.start();
            // Started when its pid file exists (written before the first datagram).
            org.awaitility.Awaitility.await().atMost(T).pollInterval(Duration.ofMillis(20)).until(
                    () -> error != null || result != null || executor(null).run(List.of("test", "-s", pidFile), T)
                            .exitCode() == 0);
            if (error != null) {
                throw error;
            }
        }

        /** Stops the meter (SIGTERM; it still counts echoes for 300 ms) and returns what it measured. */
        public Gap stop() {
            if (result == null) {
                HostExecutor root = executor(null);
                HostExecutor.Result pid = root.run(List.of("cat", pidFile), T);
                if (pid.exitCode() == 0) {
                    root.run(List.of("kill", "-TERM", pid.stdout().strip()), T);
                }
            }
            try {
                thread.join(T.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            if (result == null) {
                throw new IllegalStateException("udpgap meter did not end");
            }
            if (result.exitCode() != 0) {
                throw new IllegalStateException("udpgap meter exited " + result.exitCode() + ": " + result.stderr());
            }
            return Gap.parse(result.stdout());
        }
    }
}
