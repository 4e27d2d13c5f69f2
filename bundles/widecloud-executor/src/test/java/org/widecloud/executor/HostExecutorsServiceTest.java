package org.widecloud.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;

class HostExecutorsServiceTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final HostExecutorsService service = new HostExecutorsService(null, null, true, T, T);

    private static HostEndpoint host(String executor) {
        return new HostEndpoint("h1", "host-1", "qemu:///system", "10.0.0.1", executor);
    }

    @Test
    void localRunsHere() {
        assertEquals("hi\n", service.forHost(host("local")).check(List.of("echo", "hi"), T).stdout());
    }

    @Test
    void aHostWithoutExecutorIsNamed() {
        DriverException e = assertThrows(DriverException.class, () -> service.forHost(host(null)));
        assertTrue(e.getMessage().startsWith("host 'host-1' has no executor"), e.getMessage());
    }

    @Test
    void unknownAndMalformedExecutorsAreRefused() {
        for (String bad : List.of("ftp://x", "shell", "netns:", "netns:a/b", "ssh://host", "ssh://u:pw@host",
                "ssh://u@host/path", "ssh://u@host?x=1", "ssh://u@", "ssh://u@host:0", "ssh://u@host?netns=",
                "ssh://u@host?netns=a/b", "ssh://u@host?netns=..", "ssh://u@host?netns=-x", "ssh://u@host?netns=a%20b",
                "ssh://u@host?netns=a&key=/k", "ssh://u@host?key=/k&netns=a", "ssh://u@host?netns=a#f")) {
            DriverException e = assertThrows(DriverException.class, () -> service.forHost(host(bad)), bad);
            assertTrue(e.getMessage().startsWith("executor: "), e.getMessage());
        }
    }

    @Test
    void sshTargetsParse() {
        assertEquals(new SshTarget("root", "10.1.2.3", 22), SshTarget.parse("ssh://root@10.1.2.3"));
        assertEquals(new SshTarget("wc", "host.example", 2222), SshTarget.parse("ssh://wc@host.example:2222"));
        assertEquals(new SshTarget("wc", "2001:db8::1", 22), SshTarget.parse("ssh://wc@[2001:db8::1]"));
        assertEquals(new SshTarget.Uri(new SshTarget("root", "127.0.0.1", 10022), "site-a"),
                SshTarget.parseUri("ssh://root@127.0.0.1:10022?netns=site-a"));
        assertEquals(new SshTarget.Uri(new SshTarget("root", "h", 22), null), SshTarget.parseUri("ssh://root@h"));
    }

    @Test
    void commandsInARemoteNamespaceAreVectorsWithTheNamespaceInFront() {
        assertEquals(List.of("ip", "-n", "site-a", "-j", "link", "show"),
                RemoteNetnsExecutor.inNamespace("site-a", List.of("ip", "-j", "link", "show")));
        assertEquals(List.of("bridge", "-n", "site-a", "fdb", "show"),
                RemoteNetnsExecutor.inNamespace("site-a", List.of("bridge", "fdb", "show")));
        assertEquals(List.of("ip", "netns", "exec", "ha", "sysctl", "-w", "a=1; reboot"),
                RemoteNetnsExecutor.inNamespace("ha", List.of("sysctl", "-w", "a=1; reboot")));
        assertEquals(List.of("ip", "netns", "exec", "ha", "/usr/sbin/ip", "link"),
                RemoteNetnsExecutor.inNamespace("ha", List.of("/usr/sbin/ip", "link")));
    }

    @Test
    void sshWithoutAKeySaysWhichSettingIsMissing() {
        DriverException e = assertThrows(DriverException.class, () -> service.forHost(host("ssh://root@127.0.0.1")));
        assertTrue(e.getMessage().startsWith("ssh.key: not configured"), e.getMessage());
        HostExecutorsService noFile = new HostExecutorsService(Path.of("/nonexistent/key"), null, true, T, T);
        DriverException e2 = assertThrows(DriverException.class, () -> noFile.forHost(host("ssh://root@127.0.0.1")));
        assertTrue(e2.getMessage().contains("/nonexistent/key is not readable"), e2.getMessage());
        assertInstanceOf(NetnsExecutor.class, service.forHost(host("netns:site-a")));
    }
}
