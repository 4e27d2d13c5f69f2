package org.widecloud.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.spi.HostExecutor;

/**
 * Runs commands inside a network namespace of a remote host ({@code ssh://user@host?netns=NAME}): the host's SSH
 * executor runs {@code ip netns exec NAME argv...}, still one quoted word per argument.
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
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(Argv.check(argv));
        return host.run(full, timeout);
    }

    String name() {
        return name;
    }

    @Override
    public String toString() {
        return host + "?netns=" + name;
    }
}
