package org.widecloud.driver.kvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The client side of the service-gap measurement, run inside the lab's {@code client} namespace
 * ({@code ip netns exec client java -cp ... GapMeter ADDRESS}): 1,000 UDP datagrams per second with sequence
 * numbers to the guest's echo (port 7) and an HTTP GET every 100 ms. Counts from the first reply on: lost
 * datagrams, the longest gap between two replies (and when it began), HTTP failures and latencies.
 *
 * <p>Protocol on stdin/stdout: prints {@code REPLYING} when the first echo comes back; {@code stats} prints
 * {@code STATS received=N}; {@code window} prints a {@code WINDOW key=value ...} line with the figures since the
 * first reply or the previous {@code window} and starts a new window (per-migration figures; a datagram still
 * in flight at the boundary, ~1 ms, may count as lost; a gap counts only as far as it lies within the window;
 * {@code udp.openGapMs} is the silence since the last reply or the window's start); {@code stop} (or end of input) stops sending, waits
 * 300 ms for late replies and prints one {@code RESULT key=value ...} line for the whole run, then exits.
 */
public final class GapMeter {
    private static final long SEND_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HTTP_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final InetSocketAddress udpTarget;
    private final URL httpTarget;
    private final long t0 = System.nanoTime();
    private volatile boolean running = true;
    private volatile long firstReplySeq = -1;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private long lastReplyNanos;
    /** Guarded by this. */
    private final Window total = new Window(0, 0);
    private Window window = new Window(0, 0);
    private volatile boolean printedReplying;

    GapMeter(String address, int udpPort) throws IOException {
        this.udpTarget = new InetSocketAddress(address, udpPort);
        String host = address.contains(":") ? "[" + address + "]" : address;
        this.httpTarget = new URL("http://" + host + "/");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GapMeter ADDRESS [UDP_PORT]");
            System.exit(2);
        }
        GapMeter m = new GapMeter(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 7);
        m.run();
    }

    private void run() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(udpTarget);
        Thread rx = thread("rx", () -> receive(ch));
        Thread tx = thread("tx", () -> send(ch));
        Thread http = thread("http", this::http);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
            if (line.trim().equals("stats")) {
                say("STATS received=" + received.get() + " sent=" + sent.get());
            } else if (line.trim().equals("window")) {
                Window w;
                long now = sent.get();
                synchronized (this) {
                    w = window;
                    window = new Window(now, System.nanoTime());
                }
                say(w.report("WINDOW", now, firstReplySeq) + openGap(w));
            }
        }
        long sentAtStop;
        running = false;
        tx.join();
        http.join(2000);
        sentAtStop = sent.get();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // late replies still count
        ch.close();
        rx.join(1000);
        say(result(sentAtStop));
        System.exit(0);
    }

    /**
     * The silence since the last reply, still going on: a window that ends during an outage has not seen the
     * reply that closes its longest gap yet.
     */
    private synchronized String openGap(Window w) {
        return String.format(Locale.ROOT, " udp.openGapMs=%.1f",
                lastReplyNanos == 0 ? -1 : (System.nanoTime() - Math.max(lastReplyNanos, w.fromNanos)) / 1e6);
    }

    private String result(long sentTotal) {
        synchronized (this) {
            return total.report("RESULT", sentTotal, firstReplySeq) + String.format(Locale.ROOT,
                    " udp.lastReplyAgoMs=%d", lastReplyNanos == 0 ? -1
                            : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReplyNanos));
        }
    }

    /** Figures of a stretch of the run: datagrams from {@code fromSeq} on, gaps and HTTP requests within it. */
    private final class Window {
        final long fromSeq;
        final long fromNanos;
        long received;
        long longestGapNanos;
        long longestGapStartNanos;
        final List<Long> httpLatencies = new ArrayList<>();
        long httpFailed;

        Window(long fromSeq, long fromNanos) {
            this.fromSeq = fromSeq;
            this.fromNanos = fromNanos;
        }

        void reply(long seq, long now, long previous) {
            if (seq >= fromSeq) {
                received++;
            }
            // A silence that began before this window counts from the window's start: it belongs to the window
            // only as far as it lasted within it (an outage before a migration is not the migration's gap).
            long start = Math.max(previous, fromNanos);
            long gap = now - start;
            if (previous != 0 && gap > longestGapNanos) {
                longestGapNanos = gap;
                longestGapStartNanos = start;
            }
        }

        String report(String tag, long sentUpTo, long first) {
            long from = Math.max(fromSeq, first);
            long counted = first < 0 ? 0 : Math.max(0, sentUpTo - from);
            List<Long> lat = new ArrayList<>(httpLatencies);
            Collections.sort(lat);
            return String.format(Locale.ROOT, "%s udp.sent=%d udp.counted=%d udp.received=%d udp.lost=%d "
                    + "udp.longestGapMs=%.1f udp.gapStartMs=%d http.ok=%d http.failed=%d http.medianMs=%.1f "
                    + "http.maxMs=%.1f", tag, sentUpTo - fromSeq, counted, received, Math.max(0, counted - received),
                    longestGapNanos / 1e6, ms(longestGapStartNanos), lat.size(), httpFailed,
                    lat.isEmpty() ? -1 : lat.get(lat.size() / 2) / 1e6,
                    lat.isEmpty() ? -1 : lat.get(lat.size() - 1) / 1e6);
        }
    }

    private void send(DatagramChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(16);
        long next = System.nanoTime();
        long seq = 0;
        while (running) {
            b.clear();
            b.putLong(seq++).putLong(System.nanoTime()).flip();
            try {
                ch.write(b);
            } catch (IOException e) {
                // ICMP unreachable before the guest is up: keep sending, the datagram is lost like any other
            }
            sent.set(seq);
            next += SEND_PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -100 * SEND_PERIOD_NANOS) {
                next = System.nanoTime(); // paused (GC, overloaded machine): do not burst to catch up
            }
        }
    }

    private void receive(DatagramChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(64);
        while (ch.isOpen()) {
            b.clear();
            try {
                ch.receive(b);
            } catch (IOException e) {
                if (!ch.isOpen()) {
                    return;
                }
                continue; // port unreachable while the guest boots
            }
            long now = System.nanoTime();
            if (b.position() < 16) {
                continue;
            }
            long seq = b.getLong(0);
            received.incrementAndGet();
            synchronized (this) {
                if (firstReplySeq < 0) {
                    firstReplySeq = seq;
                }
                if (seq >= firstReplySeq) {
                    total.reply(seq, now, lastReplyNanos);
                    window.reply(seq, now, lastReplyNanos);
                }
                lastReplyNanos = now;
            }
            if (!printedReplying) {
                printedReplying = true;
                say("REPLYING");
            }
        }
    }

    private void http() {
        long next = System.nanoTime();
        while (running) {
            if (firstReplySeq >= 0) {
                long s = System.nanoTime();
                try {
                    HttpURLConnection c = (HttpURLConnection) httpTarget.openConnection();
                    c.setConnectTimeout(1000);
                    c.setReadTimeout(1000);
                    int code = c.getResponseCode();
                    c.getInputStream().readAllBytes();
                    c.disconnect();
                    http(code == 200, System.nanoTime() - s);
                } catch (IOException e) {
                    http(false, 0);
                }
            }
            next += HTTP_PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private synchronized void http(boolean ok, long nanos) {
        for (Window w : List.of(total, window)) {
            if (ok) {
                w.httpLatencies.add(nanos);
            } else {
                w.httpFailed++;
            }
        }
    }

    private long ms(long nanos) {
        return nanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos - t0);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, "gap-meter-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
