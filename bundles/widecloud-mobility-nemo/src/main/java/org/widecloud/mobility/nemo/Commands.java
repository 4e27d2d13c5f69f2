package org.widecloud.mobility.nemo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostExecutor;

/** Argument vectors run on one machine (a mobile router or the home agent), failures named after it. */
final class Commands {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String who;
    private final HostExecutor exec;

    Commands(String who, HostExecutor exec) {
        this.who = who;
        this.exec = exec;
    }

    HostExecutor.Result run(String... argv) {
        return exec.run(List.of(argv), TIMEOUT);
    }

    /** Fails naming the machine, the command and its stderr unless it exits 0. */
    HostExecutor.Result check(String... argv) {
        HostExecutor.Result r = run(argv);
        if (r.exitCode() != 0) {
            throw failure(r, argv);
        }
        return r;
    }

    /** Like {@link #check}, but adding what is there already and deleting what is gone count as done. */
    void ensure(String... argv) {
        HostExecutor.Result r = run(argv);
        if (r.exitCode() != 0 && !alreadyDone(r.stderr())) {
            throw failure(r, argv);
        }
    }

    /** The link's facts, null when there is no such link. */
    Link link(String dev) {
        HostExecutor.Result r = run("ip", "-d", "-j", "link", "show", "dev", dev);
        if (r.exitCode() != 0) {
            if (missing(r.stderr())) {
                return null;
            }
            throw failure(r, "ip", "-d", "-j", "link", "show", "dev", dev);
        }
        return Link.parse(r.stdout());
    }

    DriverException failure(HostExecutor.Result r, String... argv) {
        return new DriverException(who + ": " + String.join(" ", argv) + " exited " + r.exitCode() + ": "
                + r.stderr().strip(), null);
    }

    static boolean missing(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("does not exist") || s.contains("cannot find device") || s.contains("no such device");
    }

    private static boolean alreadyDone(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("file exists") || s.contains("no such file or directory") || missing(s)
                || s.contains("no such process") || s.contains("address not found")
                || s.contains("cannot assign requested address");
    }

    @Override
    public String toString() {
        return who;
    }
}
