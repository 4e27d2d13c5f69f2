package org.widecloud.api.spi;

import java.time.Duration;
import java.util.List;

/**
 * Runs commands on a host, as argument vectors (never through a shell). Backends that configure hosts (mobility,
 * storage) get one from {@link HostExecutors} for the host they act on.
 */
public interface HostExecutor {

    /** Runs {@code argv}; waits at most {@code timeout}; never throws for a non-zero exit (see the result). */
    Result run(List<String> argv, Duration timeout);

    /** Runs {@code argv} and fails with {@link DriverException} (naming the command and its stderr) unless it exits 0. */
    default Result check(List<String> argv, Duration timeout) {
        Result r = run(argv, timeout);
        if (r.exitCode() != 0) {
            throw new DriverException(String.join(" ", argv) + " exited " + r.exitCode() + ": " + r.stderr().strip(),
                    null);
        }
        return r;
    }

    record Result(int exitCode, String stdout, String stderr) {
    }
}
