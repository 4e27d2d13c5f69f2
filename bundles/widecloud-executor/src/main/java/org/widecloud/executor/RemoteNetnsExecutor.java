package org.widecloud.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.spi.HostExecutor;

/**
 * Runs commands inside a network namespace of a remote host ({@code ssh://user@host?netns=NAME}): the host's SSH
 * executor runs {@code ip netns exec NAME argv...}, still one quoted word per argument. iproute2's own commands
 * become {@code ip -n NAME ...} / {@code bridge -n NAME ...}, which iproute2 documents as the same thing: one
 * process instead of two and no private mount namespace (~55 ms less per command in the TCG lab).
 */
final class RemoteNetnsExecutor implements HostExecutor {
    private final SshExecutor host;
    private final String name;

    RemoteNetnsExecutor(SshExecutor host, String name) {
        this.host = host;
        this.name = NetnsExecutor.checkName(name);
    }

    @Override
    public Result run(List<String> argv, Duration timeout) {
        return host.run(inNamespace(name, Argv.check(argv)), timeout);
    }

    static List<String> inNamespace(String name, List<String> argv) {
        List<String> full = new ArrayList<>();
        String program = argv.get(0);
        if (program.equals("ip") || program.equals("bridge")) {
            full.addAll(List.of(program, "-n", name));
            full.addAll(argv.subList(1, argv.size()));
        } else {
            full.addAll(List.of("ip", "netns", "exec", name));
            full.addAll(argv);
        }
        return full;
    }

    String name() {
        return name;
    }

    @Override
    public String toString() {
        return host + "?netns=" + name;
    }
}
