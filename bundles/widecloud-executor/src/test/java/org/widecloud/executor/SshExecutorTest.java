package org.widecloud.executor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;

/**
 * The SSH executor against Debian's OpenSSH server, started here on a free loopback port with its own host key
 * and one authorized client key: an independent, real SSH implementation (not MINA talking to itself).
 */
class SshExecutorTest {
    private static final Duration T = Duration.ofSeconds(15);
    private static final String USER = System.getProperty("user.name");

    @TempDir
    static Path dir;
    private static Process sshd;
    private static int port;
    private static String hostKeyLine;

    private final List<HostExecutorsService> services = new ArrayList<>();

    @BeforeAll
    static void startSshd() throws Exception {
        Needs.program("/usr/sbin/sshd", "openssh-server");
        Needs.program("/usr/bin/ssh-keygen", "openssh-client");
        HostExecutor local = new ProcessExecutor(List.of(), T);
        for (String key : List.of("host_key", "client_key", "stranger_key")) {
            local.check(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", key, "-f",
                    dir.resolve(key).toString()), T);
        }
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String[] pub = Files.readString(dir.resolve("host_key.pub")).strip().split(" ");
        hostKeyLine = "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
        Files.writeString(dir.resolve("known_hosts"), hostKeyLine);
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password", "AllowUsers " + USER,
                "LogLevel VERBOSE", ""));
        // OpenSSH's privilege separation needs this directory; Debian's package makes it only when its service
        // starts, which never happens without an init system.
        if (Needs.uid() == 0) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(SshExecutorTest::listening);
    }

    private static boolean listening() throws IOException {
        if (!sshd.isAlive()) {
            throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor();
        }
    }

    @AfterEach
    void closeServices() {
        services.forEach(HostExecutorsService::close);
    }

    private HostExecutorsService service(String key, Path knownHosts, boolean strict) {
        HostExecutorsService s = new HostExecutorsService(dir.resolve(key), knownHosts, strict, Duration.ofSeconds(5),
                T);
        services.add(s);
        return s;
    }

    private static HostEndpoint host() {
        return new HostEndpoint("h1", "loop", "qemu:///system", "127.0.0.1", "ssh://" + USER + "@127.0.0.1:" + port);
    }

    @Test
    void hostileArgumentsArriveIntact() throws Exception {
        Files.deleteIfExists(Path.of("/tmp/wcx-pwned"));
        HostExecutor ssh = service("client_key", dir.resolve("known_hosts"), true).forHost(host());
        HostExecutor.Result r = ssh.check(Hostile.printfArgv(Hostile.ARGS), T);
        assertEquals(Hostile.ARGS, Hostile.split(r.stdout()));
        assertFalse(Files.exists(Path.of("/tmp/wcx-pwned")), "a quoted argument ran as a command");
        HostExecutor.Result fail = ssh.run(List.of("sh", "-c", "echo out; echo err >&2; exit 7"), T);
        assertEquals(new HostExecutor.Result(7, "out\n", "err\n"), fail);
    }

    @Test
    void aNamespaceOnTheHostRunsThroughTheHostsSessionWithArgumentsIntact() {
        Needs.root();
        String ns = "wcx-sshns-" + ProcessHandle.current().pid();
        HostExecutor local = new ProcessExecutor(List.of(), T);
        local.check(List.of("ip", "netns", "add", ns), T);
        try {
            HostExecutorsService service = service("client_key", dir.resolve("known_hosts"), true);
            SshExecutor plain = (SshExecutor) service.forHost(host());
            HostEndpoint inNs = new HostEndpoint("h2", "loop-ns", "qemu:///system", null, host().executor()
                    + "?netns=" + ns);
            HostExecutor remote = service.forHost(inNs);
            // A fresh namespace has only its loopback device: proof the command ran inside it.
            String links = remote.check(List.of("ip", "-o", "link", "show"), T).stdout();
            assertEquals(1, links.lines().count(), links);
            assertEquals(Hostile.ARGS, Hostile.split(remote.check(Hostile.printfArgv(Hostile.ARGS), T).stdout()));
            assertEquals(3, remote.run(List.of("sh", "-c", "exit 3"), T).exitCode());
            assertTrue(plain.check(List.of("ip", "-o", "link", "show"), T).stdout().lines().count() > 1);
            assertEquals(1, plain.sessionsOpened(), "the namespace's commands use the host's session");
            assertEquals(host().executor() + "?netns=" + ns, remote.toString());
        } finally {
            local.run(List.of("ip", "netns", "del", ns), T);
        }
    }

    @Test
    void oneSessionPerHostIsReusedAndReopenedWhenTheHostDropsIt() {
        HostExecutorsService service = service("client_key", dir.resolve("known_hosts"), true);
        SshExecutor ssh = (SshExecutor) service.forHost(host());
        assertSame(ssh, service.forHost(host()));
        for (int i = 0; i < 3; i++) {
            assertEquals("ok\n", ssh.check(List.of("echo", "ok"), T).stdout());
        }
        assertEquals(1, ssh.sessionsOpened());
        // The remote shell's parent is sshd's process for this connection: killing it drops the session.
        try {
            ssh.run(List.of("sh", "-c", "kill $PPID"), T);
        } catch (DriverException expected) {
            // no exit status arrives when the connection dies under the command
        }
        assertEquals("again\n", ssh.check(List.of("echo", "again"), T).stdout());
        assertEquals(2, ssh.sessionsOpened());
    }

    @Test
    void strictCheckingRefusesAnUnknownHost() throws Exception {
        Path empty = Files.writeString(dir.resolve("known_hosts_empty"), "");
        HostExecutor ssh = service("client_key", empty, true).forHost(host());
        DriverException e = assertThrows(DriverException.class, () -> ssh.run(List.of("true"), T));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }

    @Test
    void withoutStrictCheckingAnUnknownHostIsAcceptedAndRecordedButAChangedKeyIsRefused() throws Exception {
        Path known = Files.writeString(dir.resolve("known_hosts_new"), "");
        HostExecutor ssh = service("client_key", known, false).forHost(host());
        assertEquals(0, ssh.run(List.of("true"), T).exitCode());
        assertTrue(Files.readString(known).contains("[127.0.0.1]:" + port), Files.readString(known));

        String[] other = Files.readString(dir.resolve("stranger_key.pub")).strip().split(" ");
        Path changed = Files.writeString(dir.resolve("known_hosts_changed"),
                "[127.0.0.1]:" + port + " " + other[0] + " " + other[1] + "\n");
        HostExecutor refused = service("client_key", changed, false).forHost(host());
        assertThrows(DriverException.class, () -> refused.run(List.of("true"), T));
    }

    @Test
    void aKeyTheHostDoesNotAuthorizeIsRefused() {
        HostExecutor ssh = service("stranger_key", dir.resolve("known_hosts"), true).forHost(host());
        DriverException e = assertThrows(DriverException.class, () -> ssh.run(List.of("true"), T));
        assertTrue(e.getMessage().contains("cannot connect and authenticate"), e.getMessage());
    }

    @Test
    void aKeyMinaCannotUseIsNamedBeforeAnyConnection() throws Exception {
        new ProcessExecutor(List.of(), T).check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                dir.resolve("ed25519_key").toString()), T);
        HostExecutorsService service = service("ed25519_key", dir.resolve("known_hosts"), true);
        DriverException e = assertThrows(DriverException.class, () -> service.forHost(host()));
        assertTrue(e.getMessage().startsWith("ssh.key: ") && e.getMessage().contains("Ed25519"), e.getMessage());
    }

    @Test
    void aCommandPastItsTimeoutFails() {
        HostExecutor ssh = service("client_key", dir.resolve("known_hosts"), true).forHost(host());
        DriverException e = assertThrows(DriverException.class,
                () -> ssh.run(List.of("sleep", "30"), Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("did not finish within 500 ms"), e.getMessage());
        assertEquals("still\n", ssh.check(List.of("echo", "still"), T).stdout());
    }
}
