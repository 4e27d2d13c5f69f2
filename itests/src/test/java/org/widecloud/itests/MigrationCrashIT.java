package org.widecloud.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.driver.kvm.GapMeterProcess;
import org.widecloud.driver.kvm.TwoSiteLab;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Crash recovery of live migration with the real thing at every level: the distribution started with its own
 * {@code bin/karaf}, the two-site lab (itests/lab/two-site-lab.sh: one libvirtd per site in its own namespaces,
 * no static stretch: widecloud's VXLAN backend extends lab-net), a real QEMU guest with fixed addresses, and the
 * controller's JVM killed with SIGKILL in the middle of a migration.
 * <p>
 * For each journal step the controller is started with {@code -Dwidecloud.migration.haltAfter=STEP} (every
 * migration then stops for good right after journalling STEP), the guest is migrated to the other site through
 * REST, and once {@code GET /vms/{vm}/migrations} shows STEP the JVM gets SIGKILL. Karaf is started again without
 * the property; then, asked of both sites' libvirtds with {@code virsh} and not only of the controller: the guest
 * runs at exactly one host, the one the journal's end (DONE: the target, ROLLED_BACK: the source) names; the
 * controller records it there, RUNNING; the client namespace gets the guest's UDP echo (port 7) at its fixed
 * address and the VXLAN forwarding tables send its MAC to that host (see {@link #FDB_AFTER_RECOVERY}), so the
 * network followed it; and a second migration succeeds. Before COMMITTING the guest never left
 * the source, so recovery rolls back; from COMMITTING on libvirt had already moved it, so recovery finishes;
 * ROLLING_BACK (a migration that failed: 1 MiB/s with a 1 s timeout, libvirt's job aborted) rolls back.
 * <p>
 * Last, the JVM is killed while libvirt transfers the guest's memory (1 MiB/s, no halt), see
 * {@link #killedWhileLibvirtTransfersMemory()} for what libvirt does then.
 * <p>
 * One unpacked distribution, one guest migrated back and forth, and Karaf booted only when the halt step changes
 * or after a kill. Needs root, {@code ip netns} and libvirtd: skips with a message otherwise, fails under CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationCrashIT {
    private static final String HALT = "widecloud.migration.haltAfter";
    private static final String VNI = "4343";
    private static final String VNI_DEVICE = "vx" + VNI;
    /**
     * The VXLAN forwarding tables are asserted right after a recovery too: commit and rollback read the carriers
     * back from the hosts after a restart (they did not at first: after a crash at COMMITTING site A's vx4343 had
     * no entry for the guest's MAC, and the guest answered through flooding only).
     */
    private static final boolean FDB_AFTER_RECOVERY = true;
    private static final Duration MIGRATION = Duration.ofMinutes(3);
    private static final Pattern SENDING = Pattern.compile("migrating: (\\d+)% of memory sent");
    /** Where each crash must end: before the switch-over the guest never left the source. */
    private static final Map<String, String> OUTCOME = Map.of("PREPARING", "ROLLED_BACK", "MIGRATING", "ROLLED_BACK",
            "COMMITTING", "DONE", "RELEASING", "DONE", "ROLLING_BACK", "ROLLED_BACK");

    private TwoSiteLab lab;
    private KarafProcess karaf;
    private String runningHalt;
    private GapMeterProcess meter;
    private final Map<String, HostEndpoint> sites = new LinkedHashMap<>();
    private final Map<String, String> hostIds = new LinkedHashMap<>();
    private String vm;
    private String where;

    @BeforeAll
    void labAndDistribution() throws Exception {
        lab = TwoSiteLab.up(false);
        sites.put("site-a", TwoSiteLab.SITE_A);
        sites.put("site-b", TwoSiteLab.SITE_B);
        karaf = KarafProcess.unpack("crash-it");
        karaf.set("etc/org.widecloud.core.cfg", "bootstrap", "false");
        // Lab guests run under TCG: through a TCP URI the driver cannot read the host's CPU flags.
        karaf.set("etc/org.widecloud.driver.kvm.cfg", "domain.type", "qemu");
        karaf.bootFeature("widecloud-mobility-vxlan");
        // The shipped H2 URL has WRITE_DELAY=0 (StoreSettings): without it a commit reached the file up to 500 ms
        // later and SIGKILL lost journal steps the test had seen (2 of 3 fresh rows gone after a restart).
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (meter != null) {
                meter.close();
            }
            if (vm != null && karaf != null) {
                try {
                    controller(null);
                    karaf.send("DELETE", "/vms/" + vm, null);
                    KarafProcess.await(Duration.ofSeconds(60))
                            .until(() -> karaf.send("GET", "/vms/" + vm, null).status() == 404);
                } catch (RuntimeException | AssertionError e) {
                    System.out.println("MigrationCrashIT: deleting " + vm + " through REST failed: " + e);
                }
                for (HostEndpoint s : sites.values()) {
                    quietly("virsh", "-c", s.uri(), "destroy", vm);
                    quietly("virsh", "-c", s.uri(), "undefine", vm);
                }
            }
            if (karaf != null && karaf.alive()) {
                karaf.stop();
            }
        } finally {
            if (karaf != null) {
                karaf.close();
            }
            if (lab != null) {
                lab.restore();
            }
        }
    }

    @ParameterizedTest(name = "kill -9 after journalling {0}")
    @ValueSource(strings = {"PREPARING", "MIGRATING", "COMMITTING", "RELEASING", "ROLLING_BACK"})
    @Order(1)
    void killedAfterJournallingAStep(String step) throws Exception {
        controller(step);
        guest();
        String from = where;
        String to = other(from);
        Map<String, Object> body = "ROLLING_BACK".equals(step)
                // A real failure: libvirt cannot send 128 MiB at 1 MiB/s within 1 s; the driver aborts its job.
                ? Map.of("host", to, "maxDowntimeMs", 30, "bandwidthMiBps", 1, "timeoutSeconds", 1)
                : Map.of("host", to, "maxDowntimeMs", 30, "timeoutSeconds", 120);
        karaf.send("POST", "/vms/" + vm + "/migrate", body).expect(202);
        KarafProcess.await(Duration.ofSeconds(90)).until(() -> step.equals(journal().path("step").asText()));

        long pid = karaf.kill9();
        System.out.printf("MigrationCrashIT: %s -> %s, SIGKILL to Karaf's JVM (pid %d) after journalling %s; "
                + "libvirt then: %s; the client %s%n", from, to, pid, step, placement(),
                answers(Duration.ofSeconds(3)) ? "gets the echo" : "gets no echo while the controller is down");
        controller(null);

        String outcome = settled();
        JsonNode end = journal();
        assertEquals(OUTCOME.get(step), outcome, "journal after a crash at " + step + ": " + end);
        if (!"ROLLING_BACK".equals(step) && "ROLLED_BACK".equals(outcome)) {
            // Recovery read the very step the controller was killed at.
            assertTrue(end.path("error").asText().contains("during " + step), end.toString());
        }
        runsOnlyAt("DONE".equals(outcome) ? to : from, outcome, FDB_AFTER_RECOVERY);
        secondMigration();
    }

    /**
     * SIGKILL while libvirt sends memory (1 MiB/s, so the transfer takes about a minute). The migration is
     * peer-to-peer: the source libvirtd drives it over its own connection to the target, inside the API call of
     * the controller's connection. Observed here (libvirt 9.0): the controller's connection going away does not
     * stop it: the source's job stays active and the target keeps its paused incoming copy. The restarted
     * controller's recovery first aborts that job at the source and waits for it to end (so that libvirt cannot
     * switch the guest over while recovery decides: karaf.log says "aborted the migration job a stopped controller
     * left"), then finds the guest running at the source and rolls back; the guest keeps running at the source.
     */
    @Test
    @Order(2)
    void killedWhileLibvirtTransfersMemory() throws Exception {
        controller(null);
        guest();
        String from = where;
        String to = other(from);
        String job = karaf.send("POST", "/vms/" + vm + "/migrate", Map.of("host", to, "maxDowntimeMs", 30,
                "bandwidthMiBps", 1, "timeoutSeconds", 600)).expect(202).json().get("id").asText();
        KarafProcess.await(Duration.ofSeconds(90)).until(() -> {
            Matcher m = SENDING.matcher(karaf.send("GET", "/jobs/" + job, null).json().path("step").asText());
            return m.find() && Integer.parseInt(m.group(1)) >= 1;
        });
        String progress = karaf.send("GET", "/jobs/" + job, null).json().path("step").asText();

        long pid = karaf.kill9();
        String atKill = sourceJob(from);
        String later;
        try {
            // How libvirt treats a p2p migration whose client vanished: does the source's job end by itself?
            KarafProcess.await(Duration.ofSeconds(5)).until(() -> sourceJob(from).equals("None"));
            later = "ended within 5 s of the kill";
        } catch (ConditionTimeoutException e) {
            later = "still active 5 s after the kill";
        }
        System.out.printf("MigrationCrashIT: %s -> %s at \"%s\", SIGKILL to Karaf's JVM (pid %d); source job: %s at "
                + "the kill, %s; libvirt: %s%n", from, to, progress, pid, atKill, later, placement());
        controller(null);

        String outcome = settled();
        System.out.printf("MigrationCrashIT: recovery after the kill during the transfer: %s%n", journal());
        // At 1 MiB/s libvirt is still sending when the controller is back: the guest runs at the source only.
        assertEquals("ROLLED_BACK", outcome, journal().toString());
        runsOnlyAt(from, outcome, FDB_AFTER_RECOVERY);
        secondMigration();
    }

    // ------------------------------------------------------------------ the controller and the guest

    /** Karaf running with {@code halt} as its halt step (null: none), booted only when that changes. */
    private void controller(String halt) throws Exception {
        if (karaf.alive() && Objects.equals(halt, runningHalt)) {
            return;
        }
        if (karaf.alive()) {
            karaf.kill9(); // nothing in flight: as good as bin/stop here, and quicker
        }
        if (halt == null) {
            karaf.start();
        } else {
            karaf.start("-D" + HALT + "=" + halt);
        }
        runningHalt = halt;
        if (!hostIds.isEmpty()) {
            for (String h : sites.keySet()) {
                KarafProcess.await(Duration.ofSeconds(60))
                        .until(() -> "UP".equals(karaf.send("GET", "/hosts/" + h, null).json().path("state").asText()));
            }
        }
    }

    /** Once: the two sites, their hosts, lab-net on VXLAN, and a running guest at site A answering the client. */
    private void guest() throws Exception {
        if (vm != null) {
            return;
        }
        for (Map.Entry<String, HostEndpoint> e : sites.entrySet()) {
            String site = "campus-" + e.getKey().substring("site-".length());
            karaf.send("POST", "/sites", Map.of("name", site)).expect(201);
            HostEndpoint h = e.getValue();
            JsonNode host = karaf.send("POST", "/hosts", Map.of("name", e.getKey(), "site", site, "driver", "kvm",
                    "uri", h.uri(), "address", h.address(), "executor", h.executor())).expect(201).json();
            hostIds.put(e.getKey(), host.get("id").asText());
            KarafProcess.await(Duration.ofSeconds(60)).until(
                    () -> "UP".equals(karaf.send("GET", "/hosts/" + e.getKey(), null).json().path("state").asText()));
        }
        karaf.send("POST", "/networks", Map.of("name", "lab-net", "ipv4Prefix", "10.10.0.0/24", "ipv6Prefix",
                "fd00:10::/64", "mobility", "vxlan", "bridge", "br0", "parameters",
                Map.of("vni", VNI, "home", TwoSiteLab.SITE_A.address()))).expect(201);
        int n = ThreadLocalRandom.current().nextInt(10, 250);
        String ip = "10.10.0." + n;
        String ip6 = "fd00:10::" + Integer.toHexString(n);
        String name = "crash-" + n + "-" + Long.toHexString(System.nanoTime() & 0xffff);
        karaf.send("POST", "/images", Map.of("name", name, "kernel", lab.guestDir.resolve("vmlinuz").toString(),
                "initrd", lab.guestDir.resolve("initrd.gz").toString(), "cmdline", "console=ttyS0 quiet wc.name=" + name
                        + " wc.ip=" + ip + "/24 wc.gw=10.10.0.1 wc.ip6=" + ip6 + "/64 wc.gw6=fd00:10::1")).expect(201);
        JsonNode job = karaf.job("/vms", Map.of("name", name, "host", "site-a", "vcpus", 1, "memoryMiB", 128,
                "image", name, "nics", List.of(Map.of("network", "lab-net", "ipv4", ip, "ipv6", ip6)), "start", true),
                MIGRATION);
        vm = name;
        assertEquals("SUCCEEDED", job.get("state").asText(), job.toString());
        where = "site-a";
        meter = GapMeterProcess.start("client", ip);
        meter.awaitReplying(Duration.ofSeconds(90));
        runsOnlyAt("site-a", null, true);
    }

    private String other(String site) {
        return "site-a".equals(site) ? "site-b" : "site-a";
    }

    /** The newest entry of the guest's migration journal. */
    private JsonNode journal() {
        JsonNode items = karaf.send("GET", "/vms/" + vm + "/migrations?limit=1", null).expect(200).json().get("items");
        return items.size() == 0 ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : items.get(0);
    }

    /** Waits for recovery to end the journal; returns DONE or ROLLED_BACK. */
    private String settled() {
        try {
            KarafProcess.await(Duration.ofSeconds(120)).until(() -> {
                String s = journal().path("step").asText();
                return "DONE".equals(s) || "ROLLED_BACK".equals(s);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("recovery did not end the journal: " + journal() + "\nlibvirt: " + placement()
                    + "\nkaraf.log:\n" + karaf.logTail(40), e);
        }
        return journal().path("step").asText();
    }

    /** A full migration to the other site after the recovery: the controller can move the guest again. */
    private void secondMigration() throws Exception {
        String to = other(where);
        JsonNode job = karaf.job("/vms/" + vm + "/migrate", Map.of("host", to, "maxDowntimeMs", 30, "timeoutSeconds",
                120), MIGRATION);
        assertEquals("SUCCEEDED", job.get("state").asText(), "second migration after the recovery: " + job);
        runsOnlyAt(to, "DONE", true);
    }

    /**
     * The guest runs at {@code site} and nowhere else, says each site's libvirtd; the controller has it there,
     * RUNNING; the journal (unless null) ends {@code step}; the VXLAN forwarding tables send its MAC there (asserted
     * when {@code fdb}, else printed when wrong); the client gets its UDP echo at its fixed address.
     */
    private void runsOnlyAt(String site, String step, boolean fdb) throws Exception {
        Map<String, String> states = placement();
        assertEquals("running", states.get(site), "libvirt at " + site + ": " + states);
        assertEquals("missing", states.get(other(site)), "libvirt at " + other(site) + ": " + states);
        JsonNode v = karaf.send("GET", "/vms/" + vm, null).expect(200).json();
        assertEquals(hostIds.get(site), v.get("host").asText(), "the controller's host of " + vm + ": " + v);
        assertEquals("RUNNING", v.get("state").asText(), v.toString());
        if (step != null) {
            assertEquals(step, journal().path("step").asText(), journal().toString());
        }
        where = site;
        String mac = v.get("nics").get(0).get("mac").asText().toLowerCase(java.util.Locale.ROOT);
        for (String s : sites.keySet()) {
            // Every other host that carries the network sends the guest's MAC to its VTEP; where it runs, nothing
            // does. Site A, lab-net's home, always carries it; site B only while a guest of it is there.
            Virsh table = run(List.of("bridge", "-n", s, "fdb", "show", "dev", VNI_DEVICE));
            assertTrue(table.exit == 0 || !"site-a".equals(s), "no " + VNI_DEVICE + " at " + s + ": " + table.out);
            String expected = s.equals(site) || table.exit != 0 ? null : sites.get(site).address();
            String actual = fdbDestination(table.out, mac);
            String what = "FDB of " + VNI_DEVICE + " at " + s + " for " + mac + " (guest at " + site + "): expected "
                    + expected + ", found " + actual + "\n" + table.out;
            if (fdb) {
                assertEquals(expected, actual, what);
            } else if (!Objects.equals(expected, actual)) {
                System.out.println("MigrationCrashIT: KNOWN GAP (see FDB_AFTER_RECOVERY): " + what);
            }
        }
        if (!answers(Duration.ofSeconds(20))) {
            throw new AssertionError(vm + " at " + site + " does not answer the client:\n" + lab.diagnostics());
        }
    }

    /** Whether the client gets 200 more echo replies from the guest's fixed address within {@code within}. */
    private boolean answers(Duration within) throws Exception {
        long before = meter.received();
        try {
            KarafProcess.await(within).until(() -> meter.received() > before + 200);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** The VTEP an FDB listing ({@code bridge fdb show}) sends {@code mac} to, or null. */
    private static String fdbDestination(String fdb, String mac) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(mac) + " .*\\bdst (\\S+)").matcher(fdb);
        return m.find() ? m.group(1) : null;
    }

    /** The guest's state at each site, as its libvirtd says ("missing" when it has no such domain). */
    private Map<String, String> placement() {
        Map<String, String> out = new LinkedHashMap<>();
        sites.forEach((site, h) -> {
            Virsh r = virsh(h.uri(), "domstate", vm);
            out.put(site, r.exit == 0 ? r.out.strip() : r.out.contains("ailed to get domain") ? "missing"
                    : "error: " + r.out.strip());
        });
        return out;
    }

    /** The source libvirtd's job on the guest: "Unbounded" while a migration runs, "None" otherwise. */
    private String sourceJob(String site) {
        Virsh r = virsh(sites.get(site).uri(), "domjobinfo", vm);
        Matcher m = Pattern.compile("Job type:\\s*(\\S+)").matcher(r.out);
        return m.find() ? m.group(1) : r.out.strip();
    }

    private record Virsh(int exit, String out) {
    }

    private static Virsh virsh(String uri, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("virsh", "-c", uri));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Virsh run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
            return new Virsh(p.exitValue(), out);
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void quietly(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }
}
