package org.widecloud.executor;

import java.time.Duration;
import java.util.List;

import org.widecloud.api.spi.DriverException;

/** Checks on what callers hand to an executor, shared by every kind. */
final class Argv {
    private Argv() {
    }

    /** An argument vector that can reach a program intact: not empty, no null, no NUL (C strings end there). */
    static List<String> check(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new DriverException("argv: a command needs at least the program name", null);
        }
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a == null) {
                throw new DriverException("argv[" + i + "]: null argument", null);
            }
            if (a.indexOf('\0') >= 0) {
                throw new DriverException("argv[" + i + "]: NUL character in argument", null);
            }
        }
        if (argv.get(0).isEmpty()) {
            throw new DriverException("argv[0]: empty program name", null);
        }
        return List.copyOf(argv);
    }

    static Duration timeout(Duration requested, Duration fallback) {
        return requested == null || requested.isZero() || requested.isNegative() ? fallback : requested;
    }

    /** The command as an operator reads it in a message (quoted like the SSH executor sends it). */
    static String show(List<String> argv) {
        return PosixQuoting.join(argv);
    }
}
