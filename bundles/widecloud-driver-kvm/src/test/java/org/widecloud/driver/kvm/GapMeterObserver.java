package org.widecloud.driver.kvm;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.core.ConditionTimeoutException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MigrationObserver;

/**
 * The lab's service-gap probe as a {@link MigrationObserver}: for each VM given to {@link #watch} a {@link GapMeter}
 * in the client namespace streams 1,000 UDP datagrams/s (and an HTTP GET every 100 ms) to the VM's fixed address
 * for as long as the observer lives. {@code begin} opens a new meter window (what came before is the quiet time),
 * {@code end} waits for the echo to come back from the target, closes the window and returns its longest gap
 * between two replies, which the saga stores as the migration's {@code gapMs}. Each migration's figures (lost
 * datagrams, HTTP failures and latency) are kept in {@link #watched()} for the caller to print.
 */
public final class GapMeterObserver implements MigrationObserver, AutoCloseable {
    /** How long {@code end} waits for the stream to resume before it reports the silence so far as the gap. */
    private static final Duration RESUME = Duration.ofSeconds(3);
    /** Replies that must arrive after the switch: the gap has then surely closed (50 ms of stream). */
    private static final long RESUMED_REPLIES = 50;

    private final String netns;
    private final Map<String, GapMeterProcess> meters = new ConcurrentHashMap<>();
    private final List<Watched> watched = new CopyOnWriteArrayList<>();

    /** One migration as the client saw it: the quiet time before it, and the migration's own window. */
    public record Watched(String migrationId, String vmName, String source, String target, boolean succeeded,
            Map<String, String> quiet, Map<String, String> figures) {

        /** The longest silence: a closed gap, or the one still open when the window closed. */
        public long gapMs() {
            return Math.round(Math.max(number(figures, "udp.longestGapMs"), number(figures, "udp.openGapMs")));
        }

        public long lost() {
            return (long) number(figures, "udp.lost");
        }

        /** One line for a test's or benchmark's output. */
        public String line() {
            return String.format(Locale.ROOT, "%s -> %s: gap %d ms, %s of %s datagrams lost, http %s ok / %s failed "
                    + "(median %s ms, max %s ms; before: %s failed, median %s ms)%s", source, target, gapMs(),
                    figures.get("udp.lost"), figures.get("udp.counted"), figures.get("http.ok"),
                    figures.get("http.failed"), figures.get("http.medianMs"), figures.get("http.maxMs"),
                    quiet.get("http.failed"), quiet.get("http.medianMs"), succeeded ? "" : " (rolled back)");
        }
    }

    public GapMeterObserver(String netns) {
        this.netns = netns;
    }

    /**
     * Starts streaming to the VM at {@code address} and waits until it has answered for a while (so the boot is
     * not counted); from then on the VM's migrations are measured.
     */
    public GapMeterProcess watch(String vmId, String address, Duration bootTimeout) throws Exception {
        GapMeterProcess meter = GapMeterProcess.start(netns, address);
        try {
            meter.awaitReplying(bootTimeout);
            await().atMost(Duration.ofSeconds(15)).until(() -> meter.received() > 200);
            meter.window(); // the boot
        } catch (Exception | AssertionError e) {
            meter.close();
            throw e;
        }
        GapMeterProcess old = meters.put(vmId, meter);
        if (old != null) {
            old.close();
        }
        return meter;
    }

    /** Stops streaming to the VM; returns the meter's figures for its whole run, or null if it was not watched. */
    public Map<String, String> unwatch(String vmId) throws Exception {
        GapMeterProcess meter = meters.remove(vmId);
        if (meter == null) {
            return null;
        }
        try {
            return meter.stop();
        } finally {
            meter.close();
        }
    }

    /** The migrations measured so far, oldest first. */
    public List<Watched> watched() {
        return List.copyOf(watched);
    }

    @Override
    public Watch begin(String migrationId, String vmId, String vmName, HostEndpoint source, HostEndpoint target) {
        GapMeterProcess meter = meters.get(vmId);
        if (meter == null) {
            return null;
        }
        Map<String, String> quiet = window(meter);
        return succeeded -> {
            long before = received(meter);
            try {
                await().atMost(RESUME).pollInterval(Duration.ofMillis(5))
                        .until(() -> meter.received() >= before + RESUMED_REPLIES);
            } catch (ConditionTimeoutException e) {
                // The VM does not answer (yet): the window's open gap says for how long.
            }
            Watched w = new Watched(migrationId, vmName, source.hostName(), target.hostName(), succeeded, quiet,
                    window(meter));
            watched.add(w);
            return w.gapMs();
        };
    }

    @Override
    public void close() {
        meters.values().forEach(GapMeterProcess::close);
        meters.clear();
    }

    private static Map<String, String> window(GapMeterProcess meter) {
        try {
            return meter.window();
        } catch (Exception e) {
            throw new IllegalStateException("gap meter: " + e.getMessage(), e);
        }
    }

    private static long received(GapMeterProcess meter) {
        try {
            return meter.received();
        } catch (Exception e) {
            throw new IllegalStateException("gap meter: " + e.getMessage(), e);
        }
    }

    private static double number(Map<String, String> figures, String key) {
        String v = figures.get(key);
        return v == null ? -1 : Double.parseDouble(v);
    }
}
