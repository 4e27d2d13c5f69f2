package org.widecloud.executor;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.widecloud.api.spi.DriverException;

/** Runs commands inside a named network namespace of this machine ({@code ip netns exec NAME argv...}): labs. */
final class NetnsExecutor extends ProcessExecutor {
    /** iproute2 keeps namespaces as files under /run/netns: a plain file name, never a path or an option. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final String name;

    NetnsExecutor(String name, Duration defaultTimeout) {
        super(List.of("ip", "netns", "exec", checkName(name)), defaultTimeout);
        this.name = name;
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new DriverException("executor: netns name '" + name + "' is not valid (letters, digits, "
                    + "'_', '.', '-'; starts with a letter or digit; at most 63 characters)", null);
        }
        return name;
    }

    String name() {
        return name;
    }
}
