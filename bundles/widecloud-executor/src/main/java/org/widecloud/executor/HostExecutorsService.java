package org.widecloud.executor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;
import org.widecloud.api.spi.HostExecutors;

/**
 * The executor of a host from its executor URI: {@code local}, {@code netns:NAME}, {@code ssh://user@host[:port]},
 * {@code ssh://user@host[:port]?netns=NAME} (a network namespace on an SSH host: labs with hosts as namespaces).
 * SSH executors (and their open sessions) are kept per user@host:port until the configuration changes.
 */
@Component(service = HostExecutors.class, configurationPid = HostExecutorsService.PID)
@Designate(ocd = HostExecutorsService.Config.class)
public class HostExecutorsService implements HostExecutors, AutoCloseable {
    public static final String PID = "org.widecloud.executor";
    private static final Logger LOG = LoggerFactory.getLogger(HostExecutorsService.class);

    @ObjectClassDefinition(name = "widecloud host executors", id = PID)
    public @interface Config {
        @AttributeDefinition(description = "Private key file (OpenSSH or PEM, unencrypted) the controller "
                + "authenticates with on ssh:// hosts; empty: ssh:// executors refuse to run", required = false)
        String ssh_key() default "";

        @AttributeDefinition(description = "known_hosts file with the hosts' keys (OpenSSH format; "
                + "[host]:port for ports other than 22)", required = false)
        String ssh_known__hosts() default "";

        @AttributeDefinition(description = "true: refuse hosts whose key is not in ssh.known_hosts; false: accept "
                + "and add an unknown host's key (a changed key is always refused)")
        boolean ssh_strict() default true;

        @AttributeDefinition(description = "Seconds to connect, authenticate and open a channel")
        int ssh_connect_timeout() default 10;

        @AttributeDefinition(description = "Seconds a command may run when the caller gives no timeout")
        int command_timeout() default 60;
    }

    private final Map<SshTarget, SshExecutor> ssh = new ConcurrentHashMap<>();
    private volatile Settings settings;
    private volatile SshClient client;

    /** What the configuration says, checked. */
    record Settings(Path key, Path knownHosts, boolean strict, Duration connectTimeout, Duration commandTimeout) {
    }

    public HostExecutorsService() {
    }

    /** For plain-object use (tests, other components): the settings DS passes from ConfigAdmin. */
    public HostExecutorsService(Path key, Path knownHosts, boolean strict, Duration connectTimeout,
            Duration commandTimeout) {
        configure(new Settings(key, knownHosts, strict, connectTimeout, commandTimeout));
    }

    @Activate
    @Modified
    void activate(Config c) {
        configure(new Settings(path(c.ssh_key()), path(c.ssh_known__hosts()), c.ssh_strict(),
                Duration.ofSeconds(positive("ssh.connect.timeout", c.ssh_connect_timeout())),
                Duration.ofSeconds(positive("command.timeout", c.command_timeout()))));
    }

    @Deactivate
    @Override
    public synchronized void close() {
        ssh.values().forEach(SshExecutor::close);
        ssh.clear();
        if (client != null) {
            client.stop();
            client = null;
        }
    }

    private synchronized void configure(Settings s) {
        close();
        settings = s;
        LOG.info("host executors: ssh.key={}, ssh.known_hosts={}, ssh.strict={}, ssh.connect.timeout={}s, "
                + "command.timeout={}s", s.key(), s.knownHosts(), s.strict(), s.connectTimeout().toSeconds(),
                s.commandTimeout().toSeconds());
    }

    @Override
    public HostExecutor forHost(HostEndpoint host) {
        String name = host == null ? null : host.hostName();
        String uri = host == null ? null : host.executor();
        if (uri == null || uri.isBlank()) {
            throw new DriverException("host '" + name + "' has no executor (set it to local, netns:NAME or "
                    + "ssh://user@host[:port])", null);
        }
        return forUri(uri.strip());
    }

    /** The executor an executor URI names. */
    public HostExecutor forUri(String uri) {
        Settings s = settings;
        if ("local".equals(uri)) {
            return new ProcessExecutor(List.of(), s.commandTimeout());
        }
        if (uri.startsWith("netns:")) {
            return new NetnsExecutor(uri.substring("netns:".length()), s.commandTimeout());
        }
        if (uri.startsWith("ssh:")) {
            SshTarget.Uri u = SshTarget.parseUri(uri);
            // Every namespace of one host shares the host's session: a command costs a channel, not a login.
            SshExecutor host = ssh.computeIfAbsent(u.target(),
                    k -> new SshExecutor(client(), k, s.connectTimeout(), s.commandTimeout()));
            return u.netns() == null ? host : new RemoteNetnsExecutor(host, u.netns());
        }
        throw new DriverException("executor: '" + uri + "' is not local, netns:NAME or ssh://user@host[:port][?netns=NAME]", null);
    }

    private synchronized SshClient client() {
        if (client != null) {
            return client;
        }
        Settings s = settings;
        if (s.key() == null || !Files.isReadable(s.key())) {
            throw new DriverException("ssh.key: " + (s.key() == null ? "not configured" : s.key() + " is not readable")
                    + " (configuration " + PID + ")", null);
        }
        if (s.strict() && (s.knownHosts() == null || !Files.isReadable(s.knownHosts()))) {
            throw new DriverException("ssh.known_hosts: " + (s.knownHosts() == null ? "not configured"
                    : s.knownHosts() + " is not readable") + " and ssh.strict is true (configuration " + PID + ")",
                    null);
        }
        List<KeyPair> keys = keys(s.key());
        SshClient c = SshClient.setUpDefaultClient();
        // Only what is configured here counts: no ~/.ssh/config, no default identities, no passwords.
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(session -> keys);
        c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        if (s.knownHosts() != null) {
            c.setServerKeyVerifier(new KnownHostsServerKeyVerifier(
                    s.strict() ? RejectAllServerKeyVerifier.INSTANCE : AcceptAllServerKeyVerifier.INSTANCE,
                    s.knownHosts()));
        } else {
            c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        }
        c.start();
        client = c;
        return c;
    }

    /** Loaded once here so that a key MINA cannot use fails with its name, not as "no more authentication methods". */
    private static List<KeyPair> keys(Path file) {
        List<KeyPair> keys = new ArrayList<>();
        try {
            new FileKeyPairProvider(file).loadKeys(null).forEach(keys::add);
        } catch (RuntimeException e) {
            throw new DriverException("ssh.key: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new DriverException("ssh.key: " + file + " holds no key this controller can use (RSA or ECDSA, "
                    + "without passphrase; Ed25519 needs an EdDSA provider that Karaf does not ship)", null);
        }
        return keys;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    private static int positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be 1 or more, not " + value);
        }
        return value;
    }
}
