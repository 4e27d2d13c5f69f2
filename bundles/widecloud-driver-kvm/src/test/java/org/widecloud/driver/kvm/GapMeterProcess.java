package org.widecloud.driver.kvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GapMeter} running in a network namespace, driven over its stdin/stdout. Thread-safe: a migration
 * observer asks for windows from the saga's thread while a test polls {@link #received()}.
 */
public final class GapMeterProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private GapMeterProcess(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(process.getInputStream(), lines, null), "gap-meter-out");
        Thread err = new Thread(() -> pump(process.getErrorStream(), null, stderr), "gap-meter-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /** Starts the meter in {@code netns} against the guest's address (UDP echo on port 7, HTTP on port 80). */
    public static GapMeterProcess start(String netns, String address) throws Exception {
        Path classes = Path.of(GapMeter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of("ip", "netns", "exec", netns, java, "-Xmx64m", "-cp",
                classes.toString(), GapMeter.class.getName(), address)).start();
        return new GapMeterProcess(p);
    }

    /** Waits for the first echo from the guest (so: the guest is up and reachable from the client). */
    public synchronized void awaitReplying(Duration timeout) throws Exception {
        expect("REPLYING", timeout);
    }

    /** Echo replies received so far. */
    public synchronized long received() throws Exception {
        send("stats");
        String line = expect("STATS", Duration.ofSeconds(5));
        return Long.parseLong(parse(line).get("received"));
    }

    /** The figures since the first reply or the previous window (udp.lost, udp.longestGapMs, ...); starts a new one. */
    public synchronized Map<String, String> window() throws Exception {
        send("window");
        return parse(expect("WINDOW", Duration.ofSeconds(5)));
    }

    /** Stops sending and returns the meter's figures (udp.lost, udp.longestGapMs, http.failed, ...). */
    public synchronized Map<String, String> stop() throws Exception {
        send("stop");
        return parse(expect("RESULT", Duration.ofSeconds(10)));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private String expect(String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("gap meter: no " + prefix + " within " + timeout + (process.isAlive() ? ""
                        : " (exited " + process.exitValue() + ")") + "; stderr: " + stderr);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    private static void pump(java.io.InputStream s, BlockingQueue<String> to, StringBuilder sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (to != null) {
                    to.add(line);
                } else {
                    synchronized (sink) {
                        sink.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
