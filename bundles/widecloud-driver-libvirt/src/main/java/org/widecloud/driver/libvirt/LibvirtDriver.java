package org.widecloud.driver.libvirt;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.spi.DomainEventListener;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.MigrationProgress;
import org.widecloud.api.spi.MigrationResult;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.internal.EventLoop;
import org.widecloud.driver.libvirt.internal.HostConnection;
import org.widecloud.driver.libvirt.internal.Libvirt;
import org.widecloud.driver.libvirt.internal.Secrets;

/**
 * A {@link HypervisorDriver} on libvirt. Subclasses give the {@link #type()} and choose each host's
 * {@link DomainFlavour}; this class keeps one connection per host URI (opened lazily, reopened once when it is
 * found dead), builds the domain XML, runs the lifecycle and delivers libvirt's lifecycle events.
 *
 * <p>Owners call {@link #close()} when the driver goes away (DS deactivate): it closes every connection and
 * releases libvirt's event loop. Live migration ({@link #migrate}) is peer to peer between the two hosts'
 * libvirtds; a subclass whose hypervisor can do it says so in {@link #supportsLiveMigration()} (false here).
 */
public abstract class LibvirtDriver implements HypervisorDriver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDriver.class);
    /**
     * VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | SNAPSHOTS_METADATA | NVRAM, then without NVRAM, then none: leave
     * nothing of the VM behind on hypervisors that know these flags, and still work on those that do not.
     */
    private static final int[] UNDEFINE_FLAGS = {1 | 2 | 4, 1 | 2, 0};
    private static final long SHUTDOWN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Map<String, HostConnection> connections = new ConcurrentHashMap<>();
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
    private volatile ExecutorService events;
    private boolean loopAcquired;

    /** The flavour of domain XML for a host, chosen once per connection from what the host offers. */
    protected abstract DomainFlavour flavour(HostProbe probe);

    /** The domain XML this driver would define on the host for the spec (validated). */
    public String domainXml(HostEndpoint host, VmSpec spec) {
        DomainXml.validate(spec);
        return DomainXml.build(spec, flavourOf(host));
    }

    /** The flavour the driver uses for the host (connecting if needed). */
    public DomainFlavour flavourOf(HostEndpoint host) {
        HostConnection c = connection(host);
        Object cached = c.cached();
        if (cached instanceof DomainFlavour f) {
            return f;
        }
        DomainFlavour f = flavour(run(host, "probe", conn -> new HostProbe(host.uri(), conn.getType(),
                conn.getCapabilities(), HostProbe.isLocal(host.uri()))));
        c.cache(f);
        return f;
    }

    /** Forgets the flavour chosen for each host (after a configuration change); chosen again on next use. */
    protected void forgetFlavours() {
        connections.values().forEach(c -> c.cache(null));
    }

    @Override
    public HostFacts facts(HostEndpoint host) {
        return run(host, "read facts", conn -> {
            NodeInfo node = conn.nodeInfo();
            long free;
            try {
                free = conn.getFreeMemory() / (1024 * 1024);
            } catch (LibvirtException e) {
                free = -1; // some hypervisors cannot tell; core treats negative as unknown
            }
            return new HostFacts(conn.getHostName(), node.cpus, node.memory / 1024, free, conn.getType(),
                    version(conn.getVersion()));
        });
    }

    @Override
    public void define(HostEndpoint host, VmSpec spec) {
        String xml = domainXml(host, spec);
        run(host, "define vm '" + spec.name() + "'", conn -> {
            if (lookup(conn, spec.id()) != null) {
                throw new DriverException("define vm '" + spec.name() + "' on " + where(host)
                        + ": a domain with uuid " + spec.id() + " exists already", null);
            }
            if (lookupByName(conn, spec.name()) != null) {
                throw new DriverException("define vm '" + spec.name() + "' on " + where(host)
                        + ": a domain named '" + spec.name() + "' exists already", null);
            }
            defineSecrets(conn, spec);
            conn.domainDefineXML(xml);
            return null;
        });
    }

    /**
     * Puts each network disk's credentials into the host's secret store (usage name from the spec, value set
     * with virSecretSetValue) before the domain that names them is defined. libvirt's test hypervisor has no
     * secret store and runs no guest that would read one: there the secrets are skipped.
     */
    private static void defineSecrets(Connect conn, VmSpec spec) throws LibvirtException {
        for (VmSpec.Disk disk : spec.disks()) {
            VmSpec.Auth auth = disk.auth();
            if (auth == null) {
                continue;
            }
            try {
                Secrets.define(conn, DomainXml.secretType(disk.protocol()), auth.usage(), auth.secret());
            } catch (LibvirtException e) {
                if (Libvirt.code(e) == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_SUPPORT
                        && "TEST".equalsIgnoreCase(conn.getType())) {
                    LOG.debug("{} has no secret store; secret '{}' not defined", conn.getURI(), auth.usage());
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public void start(HostEndpoint host, String vmId) {
        run(host, "start vm " + vmId, conn -> {
            Domain d = require(conn, host, vmId);
            // Idempotent: a retry after a lost connection may find the first attempt succeeded.
            if (d.isActive() != 1) {
                d.create();
            }
            return null;
        });
    }

    @Override
    public boolean shutdown(HostEndpoint host, String vmId, Duration timeout) {
        boolean asked = run(host, "shut down vm " + vmId, conn -> {
            Domain d = require(conn, host, vmId);
            if (d.isActive() != 1) {
                return false;
            }
            try {
                d.shutdown();
            } catch (LibvirtException e) {
                if (!Libvirt.operationInvalid(e)) {
                    throw e; // "domain is not running": it went off meanwhile
                }
            }
            return true;
        });
        if (!asked) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            DomainState s = state(host, vmId);
            if (s == DomainState.SHUTOFF || s == DomainState.MISSING) {
                return true;
            }
            LockSupport.parkNanos(SHUTDOWN_POLL_NANOS);
        }
        if (state(host, vmId) == DomainState.SHUTOFF) {
            return true;
        }
        LOG.info("vm {} on {} did not shut down within {}; forcing it off", vmId, where(host), timeout);
        destroy(host, vmId);
        return false;
    }

    @Override
    public void reboot(HostEndpoint host, String vmId) {
        run(host, "reboot vm " + vmId, conn -> {
            require(conn, host, vmId).reboot(0);
            return null;
        });
    }

    @Override
    public void destroy(HostEndpoint host, String vmId) {
        run(host, "destroy vm " + vmId, conn -> {
            Domain d = require(conn, host, vmId);
            if (d.isActive() == 1) {
                try {
                    d.destroy();
                } catch (LibvirtException e) {
                    if (!Libvirt.operationInvalid(e)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void undefine(HostEndpoint host, String vmId) {
        run(host, "undefine vm " + vmId, conn -> {
            Domain d = lookup(conn, vmId);
            if (d == null) {
                return null;
            }
            for (int i = 0; ; i++) {
                try {
                    d.undefine(UNDEFINE_FLAGS[i]);
                    return null;
                } catch (LibvirtException e) {
                    if (Libvirt.noDomain(e)) {
                        return null;
                    }
                    if (!Libvirt.unsupported(e) || i == UNDEFINE_FLAGS.length - 1) {
                        throw e;
                    }
                }
            }
        });
    }

    @Override
    public DomainState state(HostEndpoint host, String vmId) {
        return run(host, "read state of vm " + vmId, conn -> {
            Domain d = lookup(conn, vmId);
            return d == null ? DomainState.MISSING : stateOf(d);
        });
    }

    @Override
    public Map<String, DomainState> states(HostEndpoint host) {
        return run(host, "list vms", conn -> {
            Map<String, DomainState> all = new LinkedHashMap<>();
            for (int id : conn.listDomains()) {
                try {
                    Domain d = conn.domainLookupByID(id);
                    all.put(d.getUUIDString(), stateOf(d));
                } catch (LibvirtException e) {
                    if (!Libvirt.noDomain(e)) {
                        throw e; // else it went away between list and lookup
                    }
                }
            }
            for (String name : conn.listDefinedDomains()) {
                Domain d = lookupByName(conn, name);
                if (d != null) {
                    all.putIfAbsent(d.getUUIDString(), stateOf(d));
                }
            }
            return all;
        });
    }

    @Override
    public void addListener(HostEndpoint host, DomainEventListener listener) {
        Subscription s = new Subscription(host.uri(), host.hostId(), listener);
        subscriptions.add(s);
        try {
            connection(host).subscribe(s);
        } catch (LibvirtException e) {
            subscriptions.remove(s);
            throw failure("subscribe to events", host, e);
        }
    }

    @Override
    public void removeListener(HostEndpoint host, DomainEventListener listener) {
        Subscription s = new Subscription(host.uri(), host.hostId(), listener);
        subscriptions.remove(s);
        HostConnection c = connections.get(host.uri());
        if (c != null) {
            c.unsubscribe(s);
        }
    }

    /**
     * Peer-to-peer live migration (libvirt's {@code VIR_MIGRATE_LIVE | PEER2PEER | PERSIST_DEST |
     * UNDEFINE_SOURCE}, plus {@code AUTO_CONVERGE}, {@code POSTCOPY} and {@code NON_SHARED_DISK} as the options
     * say): the source's libvirtd dials {@code target.uri()} itself, so that URI must work from the source host.
     * On failure the {@link DriverException} says what failed and where the vm is (normally still running at the
     * source; a vm left paused there is resumed).
     */
    @Override
    public MigrationResult migrate(HostEndpoint source, HostEndpoint target, String vmId, MigrationOptions options,
            MigrationProgress progress) {
        if (!supportsLiveMigration()) {
            throw new DriverException("driver '" + type() + "' cannot live-migrate", null);
        }
        LiveMigration.validate(source, target, vmId, options);
        copySecrets(source, target, vmId);
        return new LiveMigration(connection(source), connection(target), source, target, vmId, options, progress)
                .run();
    }

    /**
     * A peer-to-peer migration goes on in the source's libvirtd when the controller that started it dies
     * (observed with libvirt 9.0: the job still ran seconds after a kill -9). Aborting it and waiting for the job
     * to end leaves the VM where it is for recovery to read; a post-copy cannot be aborted and is waited for.
     */
    @Override
    public boolean abortMigration(HostEndpoint source, String vmId, Duration wait) {
        boolean running = run(source, "abort the migration of vm " + vmId, conn -> {
            Domain d = lookup(conn, vmId);
            if (d == null || d.getJobInfo().getType() == 0) {
                return false;
            }
            try {
                d.abortJob();
                LOG.warn("vm {}: aborted the migration job a stopped controller left on {}", vmId, where(source));
            } catch (LibvirtException e) {
                LOG.warn("vm {}: the migration job on {} cannot be aborted ({}); waiting for it to end", vmId,
                        where(source), Libvirt.message(e));
            }
            return true;
        });
        long deadline = System.nanoTime() + wait.toNanos();
        while (running && System.nanoTime() < deadline) {
            boolean jobLeft = run(source, "read the job of vm " + vmId, conn -> {
                Domain d = lookup(conn, vmId);
                return d != null && d.getJobInfo().getType() != 0;
            });
            if (!jobLeft) {
                return true;
            }
            try {
                Thread.sleep(200); // libvirt has no job-ended event through libvirt-java 0.5.3: poll, as LiveMigration does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("interrupted while waiting for the migration job of vm " + vmId, e);
            }
        }
        if (running) {
            throw new DriverException("the migration job of vm " + vmId + " on " + where(source) + " did not end within "
                    + wait, null);
        }
        return false;
    }

    /**
     * Defines at the target the secrets the domain's network disks name (CHAP of iSCSI disks), with the source's
     * values, so that QEMU there can open the disks when the domain arrives.
     */
    void copySecrets(HostEndpoint source, HostEndpoint target, String vmId) {
        java.util.List<String[]> used = run(source, "read disk secrets of vm " + vmId,
                conn -> Secrets.usedBy(require(conn, source, vmId).getXMLDesc(0)));
        for (String[] typeAndUsage : used) {
            String type = typeAndUsage[0];
            String usage = typeAndUsage[1];
            byte[] value = run(source, "read secret '" + usage + "'", conn -> Secrets.value(conn, type, usage));
            if (value == null) {
                throw new DriverException("migrate vm " + vmId + ": secret '" + usage + "' is missing on "
                        + where(source), null);
            }
            try {
                run(target, "define secret '" + usage + "'", conn -> {
                    Secrets.define(conn, type, usage, value);
                    return null;
                });
            } finally {
                java.util.Arrays.fill(value, (byte) 0);
            }
        }
    }

    @Override
    public void disconnect(HostEndpoint host) {
        HostConnection c = connections.remove(host.uri());
        if (c != null) {
            c.close();
        }
    }

    /** Closes all connections and releases libvirt's event loop; the driver may be used again afterwards. */
    @Override
    public synchronized void close() {
        connections.values().forEach(HostConnection::close);
        connections.clear();
        subscriptions.clear();
        if (events != null) {
            events.shutdown();
            events = null;
        }
        if (loopAcquired) {
            EventLoop.release();
            loopAcquired = false;
        }
    }

    /** Test hook: drops the host's libvirt connection as a dying daemon would, without telling the driver. */
    protected void breakConnection(HostEndpoint host) {
        HostConnection c = connections.get(host.uri());
        if (c != null) {
            try {
                c.breakConnectionForTest();
            } catch (LibvirtException e) {
                throw failure("break connection", host, e);
            }
        }
    }

    /** The host's connection (one per URI), created on first use; the event loop runs before any opens. */
    private HostConnection connection(HostEndpoint host) {
        if (host == null || host.uri() == null || host.uri().isBlank()) {
            throw new DriverException("host.uri: is required", null);
        }
        startEvents();
        return connections.computeIfAbsent(host.uri(), uri -> new HostConnection(uri, lifecycle(uri)));
    }

    private synchronized void startEvents() {
        if (!loopAcquired) {
            try {
                EventLoop.acquire();
            } catch (LibvirtException e) {
                throw new DriverException("cannot start libvirt's event loop: " + Libvirt.message(e), e);
            } catch (LinkageError e) {
                throw new DriverException("libvirt's client library (libvirt.so.0, Debian package libvirt0) "
                        + "cannot be loaded: " + e.getMessage(), e);
            }
            loopAcquired = true;
        }
        if (events == null) {
            events = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "widecloud-" + type() + "-events");
                t.setDaemon(true);
                return t;
            });
        }
    }

    private LifecycleListener lifecycle(String uri) {
        return (domain, event) -> {
            try {
                String vmId = domain.getUUIDString();
                DomainState state = stateAfter(event);
                String detail = event.getType() + "/" + event.getDetail();
                ExecutorService ex = events;
                if (ex != null) {
                    // Off libvirt's event thread: listeners may call back into the driver.
                    ex.execute(() -> deliver(uri, vmId, state, detail));
                }
            } catch (LibvirtException | RuntimeException e) {
                LOG.warn("cannot handle libvirt event {} from {}: {}", event, uri, e.getMessage());
            }
            return 0;
        };
    }

    private void deliver(String uri, String vmId, DomainState known, String detail) {
        for (Subscription s : subscriptions) {
            if (!s.uri().equals(uri)) {
                continue;
            }
            DomainState state = known;
            if (state == null) {
                try {
                    state = state(new HostEndpoint(s.hostId(), s.hostId(), uri), vmId);
                } catch (DriverException e) {
                    state = DomainState.UNKNOWN;
                }
            }
            try {
                s.listener().onEvent(s.hostId(), vmId, state, detail);
            } catch (RuntimeException e) {
                LOG.warn("domain event listener failed on {} for vm {}: {}", uri, vmId, e.toString());
            }
        }
    }

    /** The state an event leaves the domain in, or null when only asking libvirt can tell. */
    static DomainState stateAfter(DomainEvent event) {
        return switch (event.getType()) {
            case STARTED, RESUMED -> DomainState.RUNNING;
            case SUSPENDED, PMSUSPENDED -> DomainState.PAUSED;
            case STOPPED -> DomainState.SHUTOFF;
            case CRASHED -> DomainState.CRASHED;
            case UNDEFINED -> DomainState.MISSING;
            // A new definition is off; an updated one may be running: ask libvirt (later, off its event thread).
            case DEFINED -> "ADDED".equals(String.valueOf(event.getDetail())) ? DomainState.SHUTOFF : null;
            default -> null; // SHUTDOWN: the guest is still running until STOPPED follows
        };
    }

    static DomainState stateOf(Domain d) throws LibvirtException {
        DomainInfo.DomainState s;
        try {
            s = d.getInfo().state;
        } catch (RuntimeException unknownConstant) {
            return DomainState.UNKNOWN; // a state newer than libvirt-java knows (pmsuspended)
        }
        if (s == null) {
            return DomainState.UNKNOWN;
        }
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN -> DomainState.RUNNING;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUTOFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            default -> DomainState.UNKNOWN;
        };
    }

    static Domain lookup(Connect conn, String vmId) throws LibvirtException {
        try {
            return conn.domainLookupByUUIDString(vmId);
        } catch (LibvirtException e) {
            if (Libvirt.noDomain(e) || Libvirt.code(e) == org.libvirt.Error.ErrorNumber.VIR_ERR_INVALID_ARG) {
                return null;
            }
            throw e;
        }
    }

    private static Domain lookupByName(Connect conn, String name) throws LibvirtException {
        try {
            return conn.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (Libvirt.noDomain(e)) {
                return null;
            }
            throw e;
        }
    }

    private static Domain require(Connect conn, HostEndpoint host, String vmId) throws LibvirtException {
        Domain d = lookup(conn, vmId);
        if (d == null) {
            throw new DriverException("no vm with uuid " + vmId + " on " + where(host), null);
        }
        return d;
    }

    private <T> T run(HostEndpoint host, String what, HostConnection.Call<T> call) {
        HostConnection c = connection(host);
        try {
            return c.call(call);
        } catch (LibvirtException e) {
            throw failure(what, host, e);
        }
    }

    static DriverException failure(String what, HostEndpoint host, LibvirtException e) {
        return new DriverException(what + " on " + where(host) + ": " + Libvirt.message(e), e);
    }

    static String where(HostEndpoint host) {
        return host.hostName() == null || host.hostName().equals(host.uri()) ? host.uri()
                : "host '" + host.hostName() + "' (" + host.uri() + ")";
    }

    /** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release. */
    static String version(long v) {
        return (v / 1_000_000) + "." + (v / 1_000 % 1_000) + "." + (v % 1_000);
    }

    private record Subscription(String uri, String hostId, DomainEventListener listener) {
    }
}
