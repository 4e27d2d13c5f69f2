package org.widecloud.executor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostExecutor;

/**
 * Runs commands on this machine with {@link ProcessBuilder}: the argument vector goes to execve as it is, no shell
 * in between. A prefix (such as {@code ip netns exec NAME}) runs them somewhere else on this machine.
 */
class ProcessExecutor implements HostExecutor {
    /** Output kept per stream; a runaway command must not fill the controller's heap. */
    static final int MAX_OUTPUT = 4 * 1024 * 1024;

    private final List<String> prefix;
    private final Duration defaultTimeout;

    ProcessExecutor(List<String> prefix, Duration defaultTimeout) {
        this.prefix = List.copyOf(prefix);
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public Result run(List<String> argv, Duration timeout) {
        List<String> args = Argv.check(argv);
        Duration limit = Argv.timeout(timeout, defaultTimeout);
        List<String> full = new ArrayList<>(prefix);
        full.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new DriverException("cannot start " + Argv.show(full) + ": " + e.getMessage(), e);
        }
        Drain out = Drain.start(p.getInputStream(), "stdout");
        Drain err = Drain.start(p.getErrorStream(), "stderr");
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new DriverException(Argv.show(full) + " did not finish within " + limit.toMillis()
                        + " ms (killed); stderr: " + err.text(Duration.ofSeconds(1)).strip(), null);
            }
            return new Result(p.exitValue(), out.text(Duration.ofSeconds(5)), err.text(Duration.ofSeconds(5)));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DriverException(Argv.show(full) + " interrupted", e);
        }
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? "local" : String.join(" ", prefix);
    }

    /** Reads one stream to its end on its own thread, so that a full pipe never blocks the command. */
    static final class Drain {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final Thread thread;

        private Drain(InputStream in, String name) {
            thread = new Thread(() -> copy(in), "widecloud-exec-" + name);
            thread.setDaemon(true);
        }

        static Drain start(InputStream in, String name) {
            Drain d = new Drain(in, name);
            d.thread.start();
            return d;
        }

        private void copy(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buf) {
                        int room = MAX_OUTPUT - buf.size();
                        buf.write(chunk, 0, Math.max(0, Math.min(n, room)));
                    }
                }
            } catch (IOException e) {
                // the process went away (killed on timeout): what was read so far is the output
            }
        }

        String text(Duration wait) throws InterruptedException {
            thread.join(wait.toMillis());
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
