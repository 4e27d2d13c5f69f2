package org.widecloud.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.Vm;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MigrationObserver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.core.TwoSiteCore;
import org.widecloud.driver.kvm.GapMeterObserver;
import org.widecloud.driver.kvm.TwoSiteLab;
import org.widecloud.driver.libvirt.DomainFlavour;
import org.widecloud.driver.libvirt.DomainXml;

/**
 * The service gap of live migrations in the two-site lab (itests/lab/two-site-lab.sh; root), measured by the
 * lab's gap meter (1,000 UDP datagrams/s with sequence numbers and an HTTP GET every 100 ms from the {@code client}
 * namespace to the guest's fixed address), in two phases of one run:
 * <ol>
 * <li>controller: the real core, KVM driver and VXLAN backend ({@link TwoSiteCore}) migrate a 128 MiB TCG guest
 * between site A and site B every {@code --period} seconds, {@code --cycles} times, through the VM service (the
 * saga); the {@link GapMeterObserver} is registered with the saga, so the gap is the one the journal stores. This
 * is the seed experiment.</li>
 * <li>raw: the same guest (same kernel, initramfs, size, one NIC on br0) defined with virsh and migrated with
 * {@code virsh migrate --live --p2p --persistent --undefinesource --auto-converge} after
 * {@code migrate-setmaxdowntime}, over the lab's static VXLAN stretch (no controller, no mobility backend), the same
 * meter around each call; libvirt's downtime and bytes from {@code virsh domjobinfo --completed} at the target, the
 * total as the wall time of {@code virsh migrate} (the driver's total is its wall time too).</li>
 * </ol>
 * Prints per migration gap, libvirt downtime, gap/downtime and gap - downtime, and per phase the median and p95
 * against the target "gap at most downtime + 50 ms" (a verdict, not an assertion).
 */
public final class MigrationBenchmark {
    private static final long TARGET_EXCESS_MS = 50;

    /** One measured migration. */
    record Row(int n, String direction, long gapMs, long downtimeMs, long bytes, long totalMs, String lost,
            String counted, String httpFailed, String httpMedianMs, String quietLost) {

        double ratio() {
            return downtimeMs > 0 ? (double) gapMs / downtimeMs : Double.NaN;
        }

        long excess() {
            return gapMs - downtimeMs;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int cycles = o.getInt("cycles", 10);
        int period = o.getInt("period", 30);
        int maxDowntime = o.getInt("max-downtime", 30);
        String phases = o.get("phases", "controller,raw");
        System.out.printf(Locale.ROOT, "widecloud migration benchmark: %d migrations per phase, one every %d s, max "
                + "downtime %d ms, phases %s; %d CPUs, load %s%n", cycles, period, maxDowntime, phases,
                Runtime.getRuntime().availableProcessors(), load());
        TwoSiteLab lab = TwoSiteLab.up(false);
        List<Row> controller = List.of();
        List<Row> raw = List.of();
        try {
            for (String phase : phases.split(",")) {
                switch (phase.strip()) {
                    case "controller" -> {
                        controller = controller(lab, cycles, period);
                        report("controller", controller);
                    }
                    case "raw" -> {
                        raw = raw(lab, cycles, period, maxDowntime);
                        report("raw virsh", raw);
                    }
                    default -> throw new IllegalArgumentException("--phases: controller and/or raw, not " + phase);
                }
            }
        } finally {
            lab.restore();
        }
        if (!controller.isEmpty() && !raw.isEmpty()) {
            System.out.printf(Locale.ROOT, "RESULT controller vs raw: median gap %d vs %d ms (x%.2f), median "
                    + "downtime %d vs %d ms, median gap-downtime %d vs %d ms%n", median(controller, Row::gapMs),
                    median(raw, Row::gapMs), (double) median(controller, Row::gapMs) / median(raw, Row::gapMs),
                    median(controller, Row::downtimeMs), median(raw, Row::downtimeMs),
                    median(controller, Row::excess), median(raw, Row::excess));
        }
        System.out.println("load after the run: " + load());
        System.exit(0); // the store's and the drivers' threads
    }

    /** The seed experiment: the saga migrates the streaming guest back and forth. */
    static List<Row> controller(TwoSiteLab lab, int cycles, int period) throws Exception {
        Path folder = Files.createTempDirectory("widecloud-migration-bench");
        List<Row> rows = new ArrayList<>();
        try (TwoSiteCore wc = new TwoSiteCore(folder); GapMeterObserver gaps = new GapMeterObserver("client")) {
            wc.core.saga.addObserver(gaps);
            Vm vm = wc.guestAtSiteA(lab);
            gaps.watch(vm.id(), vm.nics().get(0).ipv4(), Duration.ofSeconds(90));
            System.out.printf("controller: vm %s (%s) streaming; %d migrations every %d s%n", vm.name(),
                    vm.nics().get(0).ipv4(), cycles, period);
            long start = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                awaitSlot(start, i + 1, period);
                boolean toB = i % 2 == 0;
                Job j = wc.migrate(vm.name(), toB ? "site-b" : "site-a");
                if (j.state() != JobState.SUCCEEDED) {
                    throw new IllegalStateException("migration " + (i + 1) + " failed: " + j.error());
                }
                Migration m = wc.lastMigration(vm);
                List<GapMeterObserver.Watched> seen = gaps.watched();
                GapMeterObserver.Watched w = seen.get(seen.size() - 1);
                if (!w.migrationId().equals(m.id()) || m.gapMs() == null) {
                    throw new IllegalStateException("the journal has no gap of the observer's migration: " + m);
                }
                rows.add(row(i + 1, toB, m.gapMs(), m.downtimeMs(), m.bytesTransferred(), m.totalMs(), w));
                System.out.println("  " + line(rows.get(i)) + "; job: " + wc.core.jobs.get(j.id()).step());
                console(wc.console(vm), m.gapMs());
            }
            gaps.unwatch(vm.id());
        }
        return rows;
    }

    /** The same guest and the same meter with nothing but virsh and the lab's static L2 stretch. */
    static List<Row> raw(TwoSiteLab lab, int cycles, int period, int maxDowntime) throws Exception {
        Path script = Path.of(System.getProperty("widecloud.buildGuest", "itests/lab/build-guest.sh"))
                .resolveSibling("two-site-lab.sh");
        run(script.toString(), "stretch", "on");
        int n = ThreadLocalRandom.current().nextInt(10, 250);
        String ip = "10.10.0." + n;
        String id = UUID.randomUUID().toString();
        String name = "raw-" + n + "-" + id.substring(0, 8);
        int r = ThreadLocalRandom.current().nextInt(1 << 16);
        VmSpec spec = new VmSpec(id, name, 1, 128, new VmSpec.Boot(lab.guestDir.resolve("vmlinuz").toString(),
                lab.guestDir.resolve("initrd.gz").toString(), "console=ttyS0 quiet wc.name=" + name + " wc.ip=" + ip
                        + "/24 wc.gw=10.10.0.1 wc.ip6=fd00:10::" + Integer.toHexString(n) + "/64 wc.gw6=fd00:10::1"),
                List.of(), List.of(new VmSpec.NicSpec(String.format("52:54:00:10:%02x:%02x", r >> 8, r & 0xff), "br0",
                        null)));
        Path xml = Files.createTempFile("widecloud-raw", ".xml");
        // The guest's console goes to a file, so that a guest that stops answering can say why.
        Path consoles = Files.createDirectories(lab.guestDir.resolveSibling("bench-console"));
        Path console = Path.of(DomainXml.consoleLog(consoles.toString(), id));
        Files.writeString(xml, DomainXml.build(spec, DomainFlavour.qemu("qemu", consoles.toString())));
        HostEndpoint[] sites = {TwoSiteLab.SITE_A, TwoSiteLab.SITE_B};
        List<Row> rows = new ArrayList<>();
        try (GapMeterObserver gaps = new GapMeterObserver("client")) {
            virsh(TwoSiteLab.SITE_A, "define", xml.toString());
            virsh(TwoSiteLab.SITE_A, "start", name);
            gaps.watch(id, ip, Duration.ofSeconds(90));
            System.out.printf("raw: domain %s (%s) streaming; %d migrations every %d s%n", name, ip, cycles, period);
            long start = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                awaitSlot(start, i + 1, period);
                boolean toB = i % 2 == 0;
                HostEndpoint from = sites[toB ? 0 : 1];
                HostEndpoint to = sites[toB ? 1 : 0];
                MigrationObserver.Watch watch = gaps.begin("raw-" + (i + 1), id, name, from, to);
                virsh(from, "migrate-setmaxdowntime", name, String.valueOf(maxDowntime));
                long t0 = System.nanoTime();
                virsh(from, "migrate", "--live", "--p2p", "--persistent", "--undefinesource", "--auto-converge", name,
                        to.uri());
                long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                long gap = watch.end(true);
                Map<String, String> job = jobStats(to, name);
                List<GapMeterObserver.Watched> seen = gaps.watched();
                rows.add(row(i + 1, toB, gap, number(job, "downtime", -1), number(job, "memory_processed", -1),
                        wall, seen.get(seen.size() - 1)));
                System.out.println("  " + line(rows.get(i)) + "; virsh migrate took " + wall + " ms");
                console(console, gap);
            }
            gaps.unwatch(id);
        } finally {
            for (HostEndpoint h : sites) {
                virshQuietly(h, "destroy", name);
                virshQuietly(h, "undefine", name);
            }
            Files.deleteIfExists(xml);
            Files.deleteIfExists(console);
            run(script.toString(), "stretch", "off");
        }
        return rows;
    }

    private static Row row(int n, boolean toB, long gap, Long downtime, Long bytes, Long total,
            GapMeterObserver.Watched w) {
        return new Row(n, toB ? "A->B" : "B->A", gap, downtime == null ? -1 : downtime, bytes == null ? -1 : bytes,
                total == null ? -1 : total, w.figures().get("udp.lost"), w.figures().get("udp.counted"),
                w.figures().get("http.failed"), w.figures().get("http.medianMs"), w.quiet().get("udp.lost"));
    }

    /** The experiment's cadence: migration {@code k} starts {@code k * period} seconds after the stream began. */
    private static void awaitSlot(long start, int k, int period) {
        long at = start + TimeUnit.SECONDS.toNanos((long) k * period);
        for (long wait; (wait = at - System.nanoTime()) > 0;) {
            LockSupport.parkNanos(wait);
        }
    }

    static void report(String phase, List<Row> rows) {
        System.out.println();
        System.out.println("| " + phase + " | direction | gap | libvirt downtime | gap/downtime | gap - downtime "
                + "| lost datagrams | copied | total | http failed (median) | lost in the quiet time before |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %d | %s | %d ms | %d ms | %.2f | %+d ms | %s of %s | %.1f MiB | %.2f s "
                    + "| %s (%s ms) | %s |%n", r.n(), r.direction(), r.gapMs(), r.downtimeMs(), r.ratio(), r.excess(),
                    r.lost(), r.counted(), r.bytes() / 1048576.0, r.totalMs() / 1000.0, r.httpFailed(),
                    r.httpMedianMs(), r.quietLost());
        }
        long met = rows.stream().filter(r -> r.downtimeMs() >= 0 && r.excess() <= TARGET_EXCESS_MS).count();
        System.out.printf(Locale.ROOT, "RESULT %s: %d migrations; gap median %d ms p95 %d ms; libvirt downtime median "
                + "%d ms p95 %d ms; gap/downtime median %.2f p95 %.2f; gap-downtime median %d ms p95 %d ms; target gap "
                + "<= downtime + %d ms: met by %d of %d migrations (%s), median %s, p95 %s%n", phase, rows.size(),
                median(rows, Row::gapMs), p95(rows, Row::gapMs), median(rows, Row::downtimeMs),
                p95(rows, Row::downtimeMs), quantile(rows.stream().mapToDouble(Row::ratio).sorted().toArray(), 0.5),
                quantile(rows.stream().mapToDouble(Row::ratio).sorted().toArray(), 0.95), median(rows, Row::excess),
                p95(rows, Row::excess), TARGET_EXCESS_MS, met, rows.size(), met == rows.size() ? "MET" : "MISSED",
                within(median(rows, Row::excess)), within(p95(rows, Row::excess)));
        System.out.println();
    }

    private static String within(long excessMs) {
        return excessMs <= TARGET_EXCESS_MS ? "within" : "over";
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%d %s: gap %d ms, libvirt downtime %d ms (gap/downtime %.2f, gap-downtime "
                + "%+d ms), %s of %s datagrams lost (%s in the quiet time before), %.1f MiB, total %d ms, http %s "
                + "failed", r.n(), r.direction(), r.gapMs(), r.downtimeMs(), r.ratio(), r.excess(), r.lost(),
                r.counted(), r.quietLost(), r.bytes() / 1048576.0, r.totalMs(), r.httpFailed());
    }

    private static long median(List<Row> rows, java.util.function.ToLongFunction<Row> f) {
        return Math.round(quantile(rows.stream().mapToLong(f).sorted().asDoubleStream().toArray(), 0.5));
    }

    private static long p95(List<Row> rows, java.util.function.ToLongFunction<Row> f) {
        return Math.round(quantile(rows.stream().mapToLong(f).sorted().asDoubleStream().toArray(), 0.95));
    }

    /** Nearest rank (of 10 values the p95 is the largest); the median of an even count is the mean of the two. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (q == 0.5 && sorted.length % 2 == 0) {
            return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** The completed migration job's raw statistics at the target ({@code downtime}, {@code memory_processed}...). */
    private static Map<String, String> jobStats(HostEndpoint host, String domain) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : virsh(host, "domjobinfo", domain, "--completed", "--rawstats").split("\n")) {
            int colon = l.indexOf(':');
            if (colon > 0 && !l.substring(0, colon).contains(" ")) {
                m.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
            }
        }
        return m;
    }

    private static Long number(Map<String, String> m, String key, long fallback) {
        try {
            return Long.parseLong(m.get(key));
        } catch (NumberFormatException | NullPointerException e) {
            return fallback;
        }
    }

    private static String virsh(HostEndpoint host, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", host.uri()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private static void virshQuietly(HostEndpoint host, String... args) {
        try {
            virsh(host, args);
        } catch (Exception e) {
            // not there
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    /** After a gap of more than 2 s, what the guest said since the migration began (its target starts the file anew). */
    private static void console(Path console, long gapMs) {
        if (gapMs > 2000) {
            String said = tail(console, 15);
            System.out.println("  the guest's console (" + console + ")" + (said.contains("Kernel panic")
                    ? ": THE GUEST'S KERNEL PANICKED" : "") + ", last lines:\n" + said);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "?";
        }
    }
}
