package org.widecloud.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;

class NetnsExecutorTest {
    private static final String NS = "wcx-exec-" + ProcessHandle.current().pid();
    private static final Duration T = Duration.ofSeconds(10);
    private final HostExecutor local = new ProcessExecutor(List.of(), T);
    private boolean created;

    @AfterEach
    void removeNamespace() {
        if (created) {
            local.run(List.of("ip", "netns", "del", NS), T);
        }
    }

    @Test
    void runsInsideTheNamespaceWithArgumentsIntact() {
        Needs.root();
        local.check(List.of("ip", "netns", "add", NS), T);
        created = true;
        HostExecutors executors = new HostExecutors();
        HostExecutor ns = executors.service.forHost(new HostEndpoint("h1", "h1", "test:///default", null, "netns:" + NS));
        // A fresh namespace has only its loopback device: proof the command ran inside it.
        String links = ns.check(List.of("ip", "-o", "link", "show"), T).stdout();
        assertEquals(1, links.lines().count(), links);
        assertTrue(links.contains(": lo:"), links);
        assertEquals(Hostile.ARGS, Hostile.split(ns.check(Hostile.printfArgv(Hostile.ARGS), T).stdout()));
        assertEquals(4, ns.run(List.of("sh", "-c", "exit 4"), T).exitCode());
    }

    @Test
    void namesThatAreNotPlainFileNamesAreRefused() {
        for (String bad : List.of("", "../x", "a/b", "a b", "-x", "..", ".hidden", "x;y", "a".repeat(64))) {
            DriverException e = assertThrows(DriverException.class, () -> new NetnsExecutor(bad, T), bad);
            assertTrue(e.getMessage().startsWith("executor: netns name"), e.getMessage());
        }
        assertEquals("site-a.1_x", new NetnsExecutor("site-a.1_x", T).name());
    }

    /** The service as DS builds it, without SSH settings (not needed for local and netns). */
    static final class HostExecutors {
        final HostExecutorsService service = new HostExecutorsService(null, null, true, T, T);
    }
}
