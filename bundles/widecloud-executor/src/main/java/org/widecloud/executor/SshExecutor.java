package org.widecloud.executor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostExecutor;

/**
 * Runs commands on one host over SSH. One session per host is kept open and reused (a fresh connection costs a
 * key exchange per command); when the host dropped it, the next command opens a new one. SSH carries a command
 * string, not a vector: each argument is quoted for POSIX sh by {@link PosixQuoting}.
 */
final class SshExecutor implements HostExecutor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshExecutor.class);

    private final SshClient client;
    private final SshTarget target;
    private final Duration connectTimeout;
    private final Duration defaultTimeout;
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    private ClientSession session; // guarded by this

    SshExecutor(SshClient client, SshTarget target, Duration connectTimeout, Duration defaultTimeout) {
        this.client = client;
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public Result run(List<String> argv, Duration timeout) {
        String command = PosixQuoting.join(Argv.check(argv));
        Duration limit = Argv.timeout(timeout, defaultTimeout);
        ByteArrayOutputStream out = new Capped();
        ByteArrayOutputStream err = new Capped();
        try (ChannelExec ch = open(command, out, err)) {
            Set<ClientChannelEvent> events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), limit);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                ch.close(true);
                throw new DriverException(target + ": " + command + " did not finish within " + limit.toMillis()
                        + " ms (channel closed; the remote command may still run)", null);
            }
            Integer status = ch.getExitStatus();
            if (status == null) {
                String signal = ch.getExitSignal();
                throw new DriverException(target + ": " + command + " ended without exit status"
                        + (signal == null ? " (connection lost)" : " (signal " + signal + ")"), null);
            }
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            drop();
            throw new DriverException(target + ": " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the exec channel. A session the host closed (sshd restart, idle cut) is often noticed only here: then
     * reconnect once. The command has not started yet, so trying again cannot run it twice.
     */
    private ChannelExec open(String command, OutputStream out, OutputStream err) throws IOException {
        ClientSession s = session();
        try {
            return openOn(s, command, out, err);
        } catch (IOException | RuntimeException stale) {
            LOG.info("{}: session lost ({}), reconnecting", target, stale.toString());
            drop(s);
            return openOn(session(), command, out, err);
        }
    }

    private ChannelExec openOn(ClientSession s, String command, OutputStream out, OutputStream err)
            throws IOException {
        ChannelExec ch = s.createExecChannel(command);
        ch.setOut(out);
        ch.setErr(err);
        try {
            ch.open().verify(connectTimeout);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close(true);
            throw e;
        }
    }

    private synchronized ClientSession session() throws IOException {
        if (session != null && session.isOpen() && !session.isClosing()) {
            return session;
        }
        drop();
        ClientSession s = null;
        try {
            s = client.connect(target.user(), target.host(), target.port()).verify(connectTimeout).getSession();
            s.auth().verify(connectTimeout);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close(true);
            }
            throw new DriverException(target + ": cannot connect and authenticate: " + e.getMessage(), e);
        }
        sessionsOpened.incrementAndGet();
        LOG.info("{}: session open", target);
        session = s;
        return s;
    }

    private synchronized void drop() {
        drop(session);
    }

    private synchronized void drop(ClientSession s) {
        if (s != null) {
            s.close(true);
        }
        if (session == s) {
            session = null;
        }
    }

    /** How many sessions this executor opened: 1 while the host kept the first one. */
    int sessionsOpened() {
        return sessionsOpened.get();
    }

    SshTarget target() {
        return target;
    }

    @Override
    public void close() {
        drop();
    }

    @Override
    public String toString() {
        return target.toString();
    }

    /** Drops output past {@link ProcessExecutor#MAX_OUTPUT}, as the local executor does. */
    private static final class Capped extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, Math.max(0, Math.min(len, ProcessExecutor.MAX_OUTPUT - count)));
        }

        @Override
        public synchronized void write(int b) {
            if (count < ProcessExecutor.MAX_OUTPUT) {
                super.write(b);
            }
        }
    }
}
