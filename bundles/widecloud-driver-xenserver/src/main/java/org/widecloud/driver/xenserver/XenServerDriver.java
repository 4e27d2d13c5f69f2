package org.widecloud.driver.xenserver;

import static org.widecloud.driver.xenserver.Fields.int64;
import static org.widecloud.driver.xenserver.Fields.isNull;
import static org.widecloud.driver.xenserver.Fields.map;
import static org.widecloud.driver.xenserver.Fields.str;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
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
import org.widecloud.driver.xenserver.xapi.Tls;
import org.widecloud.driver.xenserver.xapi.XapiClient;
import org.widecloud.driver.xenserver.xapi.XapiErrors;
import org.widecloud.driver.xenserver.xapi.XapiException;
import org.widecloud.driver.xenserver.xapi.XapiTransportException;

/**
 * XenServer / XCP-ng pools through XAPI (XML-RPC over HTTPS). See {@link XenUri} for host URIs. One XAPI session
 * per pool master and user, shared by the widecloud hosts of that pool; widecloud VMs carry their widecloud id in
 * {@code other_config:widecloud_id}.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.TYPE_PROPERTY + "=" + XenServerDriver.TYPE,
        configurationPid = XenServerDriver.PID)
@Designate(ocd = XenServerDriver.Config.class)
public class XenServerDriver implements HypervisorDriver, AutoCloseable {
    public static final String TYPE = "xenserver";
    public static final String PID = "org.widecloud.driver.xenserver";
    private static final Logger LOG = LoggerFactory.getLogger(XenServerDriver.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MIB = 1024L * 1024;

    @ObjectClassDefinition(name = "widecloud XenServer driver", id = PID)
    public @interface Config {
        @AttributeDefinition(description = "XAPI user when the host URI gives none", required = false)
        String user() default "root";

        @AttributeDefinition(description = "XAPI password when the host URI gives none (never logged)",
                type = AttributeType.PASSWORD, required = false)
        String _password() default "";

        @AttributeDefinition(description = "PEM file of certificates to trust: a host's own certificate (pinned) "
                + "or a CA; empty: the JVM's trust store", required = false)
        String tls_certificate() default "";

        @AttributeDefinition(description = "Trust any certificate and host name (labs only)")
        boolean tls_trust_all() default false;

        @AttributeDefinition(description = "Seconds to wait for a TCP/TLS connection")
        int connect_timeout_seconds() default 10;

        @AttributeDefinition(description = "Seconds to wait for an XAPI call's answer")
        int call_timeout_seconds() default 120;

        @AttributeDefinition(description = "Seconds one event.from call waits for events")
        int events_wait_seconds() default 30;
    }

    private final Map<String, PoolConnection> pools = new ConcurrentHashMap<>();
    private volatile Settings settings = Settings.DEFAULTS;

    public XenServerDriver() {
    }

    /** For plain-object use (tests, other components): the settings DS passes from ConfigAdmin. */
    public XenServerDriver(String user, String password, String tlsCertificate, boolean trustAll) {
        settings = new Settings(user, password == null ? new char[0] : password.toCharArray(), tlsCertificate,
                trustAll, Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(30));
    }

    /** Same, with the wait of one {@code event.from} call (tests use short ones to stop quickly). */
    public XenServerDriver(String user, String password, String tlsCertificate, boolean trustAll,
            Duration eventsWait) {
        this(user, password, tlsCertificate, trustAll);
        Settings s = settings;
        settings = new Settings(s.user, s.password, s.tlsCertificate, s.trustAll, s.connectTimeout, s.callTimeout,
                eventsWait);
    }

    @Activate
    void activate(Config c) {
        configure(c);
    }

    /** New settings: connections are made again with them, and their listeners subscribed again. */
    @Modified
    void modified(Config c) {
        List<Map.Entry<HostEndpoint, DomainEventListener>> listeners = new java.util.ArrayList<>();
        pools.values().forEach(p -> listeners.addAll(p.listeners()));
        configure(c);
        close();
        for (Map.Entry<HostEndpoint, DomainEventListener> l : listeners) {
            try {
                addListener(l.getKey(), l.getValue());
            } catch (DriverException e) {
                LOG.warn("events of {} after the configuration change: {}", where(l.getKey()), e.getMessage());
            }
        }
    }

    private void configure(Config c) {
        Settings s = new Settings(c.user(), c._password() == null ? new char[0] : c._password().toCharArray(),
                c.tls_certificate(), c.tls_trust_all(), Duration.ofSeconds(Math.max(1, c.connect_timeout_seconds())),
                Duration.ofSeconds(Math.max(1, c.call_timeout_seconds())),
                Duration.ofSeconds(Math.max(1, c.events_wait_seconds())));
        settings = s;
        LOG.info("xenserver driver: user={}, password {}, tls.certificate={}, tls.trust.all={}", s.user,
                s.password.length == 0 ? "not set" : "set", s.tlsCertificate.isEmpty() ? "(JVM trust store)"
                        : s.tlsCertificate, s.trustAll);
        if (s.trustAll) {
            LOG.warn("xenserver driver trusts every TLS certificate (tls.trust.all=true): for labs only");
        }
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Override
    public String type() {
        return TYPE;
    }

    // ------------------------------------------------------------------ facts

    @Override
    public HostFacts facts(HostEndpoint host) {
        return run(host, "read facts", (p, sel) -> {
            String ref = sel != null ? sel : p.master();
            Map<String, Object> h = map(p.call("host.get_record", ref));
            Map<String, Object> m = isNull(str(h, "metrics")) ? Map.of() : map(p.call("host_metrics.get_record",
                    str(h, "metrics")));
            Map<String, Object> sw = map(h, "software_version");
            int cpus = (int) int64(map(h, "cpu_info"), "cpu_count");
            String brand = first(str(sw, "product_brand"), str(sw, "platform_name"), "XenServer");
            String version = first(str(sw, "product_version"), str(sw, "platform_version"), str(sw, "xen"));
            return new HostFacts(first(str(h, "hostname"), str(h, "name_label"), ""), cpus,
                    int64(m, "memory_total") / MIB, m.isEmpty() ? -1 : int64(m, "memory_free") / MIB, brand,
                    version);
        });
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void define(HostEndpoint host, VmSpec spec) {
        validate(spec);
        run(host, "define vm '" + spec.name() + "'", (p, sel) -> {
            if (p.findVm(spec.id()) != null) {
                throw new DriverException("a vm with widecloud id " + spec.id() + " exists already", null);
            }
            for (Object ref : Fields.list(p.call("VM.get_by_name_label", spec.name()))) {
                if (PoolConnection.isGuest(map(p.call("VM.get_record", ref)))) {
                    throw new DriverException("a vm named '" + spec.name() + "' exists already", null);
                }
            }
            Map<String, String> networks = networksByBridge(p);
            List<String> vdis = new java.util.ArrayList<>();
            for (int i = 0; i < spec.disks().size(); i++) {
                vdis.add(vdi(p, spec.disks().get(i), i));
            }
            for (int i = 0; i < spec.nics().size(); i++) {
                if (!networks.containsKey(spec.nics().get(i).bridge())) {
                    throw new DriverException("spec.nics[" + i + "].bridge: no XAPI network has bridge '"
                            + spec.nics().get(i).bridge() + "' (bridges: " + String.join(", ", networks.keySet())
                            + ")", null);
                }
            }
            String vm = String.valueOf(p.call("VM.create", VmRecords.vm(spec, sel)));
            try {
                for (int i = 0; i < vdis.size(); i++) {
                    p.call("VBD.create", VmRecords.vbd(vm, vdis.get(i), i, spec.disks().get(i).readOnly(),
                            i == 0 && !spec.boot().isKernel()));
                }
                for (int i = 0; i < spec.nics().size(); i++) {
                    VmSpec.NicSpec n = spec.nics().get(i);
                    p.call("VIF.create", VmRecords.vif(vm, networks.get(n.bridge()), n.mac(), i));
                }
            } catch (RuntimeException e) {
                try {
                    p.call("VM.destroy", vm); // its VBDs and VIFs go with it: nothing half-made is left
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            p.remember(spec.id(), vm);
            return null;
        });
    }

    @Override
    public void start(HostEndpoint host, String vmId) {
        run(host, "start vm " + vmId, (p, sel) -> {
            String vm = require(p, vmId);
            switch (powerState(p, vm)) {
                case "running" -> {
                    // idempotent, as a retry may find the first attempt done
                }
                case "paused" -> p.call("VM.unpause", vm);
                case "suspended" -> {
                    if (sel != null) {
                        p.call("VM.resume_on", vm, sel, false, false);
                    } else {
                        p.call("VM.resume", vm, false, false);
                    }
                }
                default -> {
                    if (sel != null) {
                        p.call("VM.start_on", vm, sel, false, false);
                    } else {
                        p.call("VM.start", vm, false, false);
                    }
                }
            }
            return null;
        });
    }

    @Override
    public boolean shutdown(HostEndpoint host, String vmId, Duration timeout) {
        return run(host, "shut down vm " + vmId, (p, sel) -> {
            String vm = require(p, vmId);
            String ps = powerState(p, vm);
            if (ps.equals("halted")) {
                return true;
            }
            if (ps.equals("running")) {
                String task = String.valueOf(p.call("Async.VM.clean_shutdown", vm));
                try {
                    Map<String, Object> t = awaitTask(p, task, timeout, null, 0);
                    if (t != null && "success".equals(str(t, "status"))) {
                        return true;
                    }
                    if (t != null && "failure".equals(str(t, "status"))) {
                        LOG.info("clean shutdown of vm {} on {} failed ({}); forcing it off", vmId, where(host),
                                Fields.list(t.get("error_info")));
                    } else {
                        LOG.info("vm {} on {} did not shut down within {}; forcing it off", vmId, where(host),
                                timeout);
                        cancelQuietly(p, task);
                    }
                } finally {
                    destroyTaskQuietly(p, task);
                }
            }
            hardShutdown(p, vm);
            return false;
        });
    }

    @Override
    public void reboot(HostEndpoint host, String vmId) {
        run(host, "reboot vm " + vmId, (p, sel) -> p.call("VM.clean_reboot", require(p, vmId)));
    }

    @Override
    public void destroy(HostEndpoint host, String vmId) {
        run(host, "destroy vm " + vmId, (p, sel) -> {
            hardShutdown(p, require(p, vmId));
            return null;
        });
    }

    @Override
    public void undefine(HostEndpoint host, String vmId) {
        run(host, "undefine vm " + vmId, (p, sel) -> {
            String vm = p.findVm(vmId);
            if (vm == null) {
                return null;
            }
            try {
                p.call("VM.destroy", vm);
            } catch (XapiException e) {
                if (!e.is(XapiErrors.HANDLE_INVALID)) {
                    throw e;
                }
            }
            p.forget(vmId);
            return null;
        });
    }

    @Override
    public DomainState state(HostEndpoint host, String vmId) {
        return run(host, "read state of vm " + vmId, (p, sel) -> {
            String vm = p.findVm(vmId);
            if (vm == null) {
                return DomainState.MISSING;
            }
            try {
                Map<String, Object> r = map(p.call("VM.get_record", vm));
                // As in states(): a VM on another host of the pool is not on this widecloud host.
                return PoolConnection.on(r, sel) ? PowerStates.of(str(r, "power_state")) : DomainState.MISSING;
            } catch (XapiException e) {
                if (e.is(XapiErrors.HANDLE_INVALID)) {
                    p.forget(vmId);
                    return DomainState.MISSING;
                }
                throw e;
            }
        });
    }

    @Override
    public Map<String, DomainState> states(HostEndpoint host) {
        return run(host, "list vms", (p, sel) -> {
            Map<String, DomainState> all = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : map(p.call("VM.get_all_records")).entrySet()) {
                Map<String, Object> r = map(e.getValue());
                if (PoolConnection.isGuest(r) && PoolConnection.on(r, sel)) {
                    all.put(PoolConnection.idOf(r), PowerStates.of(str(r, "power_state")));
                }
            }
            return all;
        });
    }

    // ------------------------------------------------------------------ events

    @Override
    public void addListener(HostEndpoint host, DomainEventListener listener) {
        run(host, "subscribe to events", (p, sel) -> {
            p.subscribe(host, sel, listener);
            return null;
        });
    }

    @Override
    public void removeListener(HostEndpoint host, DomainEventListener listener) {
        PoolConnection p = existing(host);
        if (p != null) {
            p.unsubscribe(host.hostId(), listener);
        }
    }

    @Override
    public void disconnect(HostEndpoint host) {
        String key = keyOf(host);
        PoolConnection p = key == null ? null : pools.get(key);
        if (p != null && !p.hasSubscribers()) {
            pools.remove(key, p);
            p.close();
        }
    }

    /** Logs out of every pool and stops every event thread; the driver may be used again afterwards. */
    @Override
    public void close() {
        for (String key : List.copyOf(pools.keySet())) {
            PoolConnection p = pools.remove(key);
            if (p != null) {
                p.close();
            }
        }
    }

    // ------------------------------------------------------------------ migration

    @Override
    public boolean supportsLiveMigration() {
        return true;
    }

    /**
     * Within a pool (both hosts answer with the same pool uuid): {@code VM.pool_migrate} to the target's XAPI host.
     * Across pools: {@code host.migrate_receive} at the target, then {@code VM.migrate_send} at the source with
     * every disk copied to the target pool's default SR and every VIF on the target network of the same bridge.
     * XAPI has no knobs for downtime, bandwidth, auto-converge or post-copy: those options are ignored; and it
     * reports no downtime, so the result's downtime is 0 (unknown), its bytes the VM's memory.
     */
    @Override
    public MigrationResult migrate(HostEndpoint source, HostEndpoint target, String vmId, MigrationOptions options,
            MigrationProgress progress) {
        MigrationOptions o = options == null ? MigrationOptions.defaults() : options;
        long started = System.nanoTime();
        return run(source, "migrate vm " + vmId + " to " + where(target), (src, srcSel) -> {
            String vm = require(src, vmId);
            String ps = powerState(src, vm);
            if (!ps.equals("running")) {
                throw new DriverException("vm is " + ps + "; only a running vm can live-migrate", null);
            }
            long memory = int64(map(src.call("VM.get_record", vm)), "memory_static_max");
            PoolConnection dst = connection(target);
            String dstSel = hostRefOf(dst, target);
            String targetHost = dstSel != null ? dstSel : dst.master();
            String task;
            if (src.poolUuid().equals(dst.poolUuid())) {
                task = String.valueOf(src.call("Async.VM.pool_migrate", vm, targetHost,
                        Map.of("live", String.valueOf(o.live()))));
            } else {
                task = String.valueOf(src.call("Async.VM.migrate_send", vm, receive(dst, targetHost), o.live(),
                        vdiMap(src, dst, vm), vifMap(src, dst, vm), Map.of(), Map.of()));
            }
            try {
                Map<String, Object> t = awaitTask(src, task, o.timeout(), progress, memory);
                if (t == null) {
                    cancelQuietly(src, task);
                    throw new DriverException("did not finish within " + o.timeout() + "; cancelled", null);
                }
                if (!"success".equals(str(t, "status"))) {
                    throw new XapiException(Fields.list(t.get("error_info")).stream().map(String::valueOf).toList());
                }
            } finally {
                destroyTaskQuietly(src, task);
            }
            src.forget(vmId);
            String moved = dst.findVm(vmId);
            if (moved != null && dstSel != null) {
                dst.call("VM.set_affinity", moved, dstSel); // halted, it still belongs to the target host
            }
            if (progress != null) {
                progress.update(100, memory, memory);
            }
            return new MigrationResult(0, memory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        });
    }

    private static Map<String, Object> receive(PoolConnection dst, String targetHost) {
        String network = null;
        for (Object pif : Fields.list(dst.call("host.get_PIFs", targetHost))) {
            Map<String, Object> r = map(dst.call("PIF.get_record", pif));
            if (Fields.bool(r, "management")) {
                network = str(r, "network");
            }
        }
        if (network == null) {
            throw new DriverException("the target host has no management interface for the migration stream", null);
        }
        return map(dst.call("host.migrate_receive", targetHost, network, Map.of()));
    }

    private static Map<String, Object> vdiMap(PoolConnection src, PoolConnection dst, String vm) {
        Map<String, Object> out = new LinkedHashMap<>();
        String sr = null;
        for (Object vbd : Fields.list(src.call("VM.get_VBDs", vm))) {
            String vdi = String.valueOf(src.call("VBD.get_VDI", vbd));
            if (isNull(vdi)) {
                continue;
            }
            if (sr == null) {
                List<?> pools = Fields.list(dst.call("pool.get_all"));
                sr = pools.isEmpty() ? "" : String.valueOf(dst.call("pool.get_default_SR", pools.get(0)));
                if (isNull(sr)) {
                    throw new DriverException("the target pool has no default SR to copy the disks to", null);
                }
            }
            out.put(vdi, sr);
        }
        return out;
    }

    private static Map<String, Object> vifMap(PoolConnection src, PoolConnection dst, String vm) {
        Map<String, String> targets = networksByBridge(dst);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object vif : Fields.list(src.call("VM.get_VIFs", vm))) {
            String bridge = String.valueOf(src.call("network.get_bridge", src.call("VIF.get_network", vif)));
            String net = targets.get(bridge);
            if (net == null) {
                throw new DriverException("the target pool has no network on bridge '" + bridge + "'", null);
            }
            out.put(String.valueOf(vif), net);
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static void validate(VmSpec spec) {
        if (spec == null) {
            throw new DriverException("spec: is required", null);
        }
        if (spec.id() == null || spec.id().isBlank()) {
            throw new DriverException("spec.id: is required", null);
        }
        if (!PoolConnection.isUuid(spec.id())) {
            throw new DriverException("spec.id: '" + spec.id() + "' is not a UUID", null);
        }
        if (spec.name() == null || spec.name().isBlank()) {
            throw new DriverException("spec.name: is required", null);
        }
        if (spec.vcpus() <= 0) {
            throw new DriverException("spec.vcpus: must be greater than 0", null);
        }
        if (spec.memoryMiB() <= 0) {
            throw new DriverException("spec.memoryMiB: must be greater than 0", null);
        }
        if (spec.boot() == null) {
            throw new DriverException("spec.boot: is required", null);
        }
        if (!spec.boot().isKernel() && spec.disks().isEmpty()) {
            throw new DriverException("spec.disks: a vm that boots from disk needs one", null);
        }
        for (int i = 0; i < spec.nics().size(); i++) {
            VmSpec.NicSpec n = spec.nics().get(i);
            if (n.bridge() == null || n.bridge().isBlank()) {
                throw new DriverException("spec.nics[" + i + "].bridge: is required", null);
            }
            if (n.mac() != null && !n.mac().matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
                throw new DriverException("spec.nics[" + i + "].mac: not a MAC address", null);
            }
        }
    }

    /**
     * The VDI of a disk: {@code /vdi/UUID} or {@code /vdi/NAME-LABEL} (XAPI disks live in SRs, not at paths);
     * the VM uses that VDI itself, read-only when the spec says so.
     */
    private static String vdi(PoolConnection p, VmSpec.Disk d, int i) {
        String field = "spec.disks[" + i + "]";
        if (!"file".equals(d.type()) || d.source() == null || !d.source().startsWith("/vdi/")
                || d.source().length() <= 5 || d.source().indexOf('/', 5) >= 0) {
            throw new DriverException(field + ".source: a XenServer disk is /vdi/<VDI uuid or name label> (got "
                    + d.type() + " '" + d.source() + "')", null);
        }
        String key = d.source().substring(5);
        try {
            return String.valueOf(p.call("VDI.get_by_uuid", key));
        } catch (XapiException e) {
            if (!e.is(XapiErrors.UUID_INVALID)) {
                throw e;
            }
        }
        List<?> byName = Fields.list(p.call("VDI.get_by_name_label", key));
        if (byName.size() != 1) {
            throw new DriverException(field + ".source: " + (byName.isEmpty() ? "no VDI" : byName.size() + " VDIs")
                    + " with uuid or name label '" + key + "'", null);
        }
        return String.valueOf(byName.get(0));
    }

    private static Map<String, String> networksByBridge(PoolConnection p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(p.call("network.get_all_records")).entrySet()) {
            String bridge = str(map(e.getValue()), "bridge");
            if (!bridge.isEmpty()) {
                out.putIfAbsent(bridge, e.getKey());
            }
        }
        return out;
    }

    private static String require(PoolConnection p, String vmId) {
        String vm = p.findVm(vmId);
        if (vm == null) {
            throw new DriverException("no vm with id " + vmId, null);
        }
        return vm;
    }

    private static String powerState(PoolConnection p, String vm) {
        return String.valueOf(p.call("VM.get_power_state", vm)).toLowerCase(java.util.Locale.ROOT);
    }

    /** Forced off; no error when it is (or went) off meanwhile. */
    private static void hardShutdown(PoolConnection p, String vm) {
        if (powerState(p, vm).equals("halted")) {
            return;
        }
        try {
            p.call("VM.hard_shutdown", vm);
        } catch (XapiException e) {
            if (!e.is(XapiErrors.VM_BAD_POWER_STATE) || !powerState(p, vm).equals("halted")) {
                throw e;
            }
        }
    }

    /** Waits for a task to end; its record, or null on timeout. Reports progress while it runs. */
    private static Map<String, Object> awaitTask(PoolConnection p, String task, Duration timeout,
            MigrationProgress progress, long total) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int reported = -1;
        while (true) {
            Map<String, Object> t = map(p.call("task.get_record", task));
            String status = str(t, "status");
            if (!status.equals("pending") && !status.equals("cancelling")) {
                return t;
            }
            if (progress != null) {
                Object pr = t.get("progress");
                int pct = (int) Math.round((pr instanceof Number n ? n.doubleValue() : 0) * 100);
                if (pct != reported) {
                    reported = pct;
                    progress.update(pct, total * pct / 100, total);
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static void cancelQuietly(PoolConnection p, String task) {
        try {
            p.call("task.cancel", task);
        } catch (RuntimeException e) {
            LOG.debug("cancelling task {}: {}", task, e.getMessage());
        }
    }

    private static void destroyTaskQuietly(PoolConnection p, String task) {
        try {
            p.call("task.destroy", task);
        } catch (RuntimeException e) {
            LOG.debug("destroying task {}: {}", task, e.getMessage());
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    @FunctionalInterface
    private interface Call<T> {
        T apply(PoolConnection pool, String selectedHost);
    }

    /** Runs a call on the host's pool connection; every failure becomes a DriverException saying where and what. */
    private <T> T run(HostEndpoint host, String what, Call<T> call) {
        try {
            PoolConnection p = connection(host);
            return call.apply(p, hostRefOf(p, host));
        } catch (XapiException | XapiTransportException e) {
            throw new DriverException(what + " on " + where(host) + ": " + e.getMessage(), e);
        } catch (DriverException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("host.uri:")) {
                throw e;
            }
            throw new DriverException(what + " on " + where(host) + ": " + e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new DriverException(what + " on " + where(host) + ": " + e.getMessage(), e);
        }
    }

    private static String hostRefOf(PoolConnection p, HostEndpoint host) {
        return p.hostRef(XenUri.parse(host.uri()).hostSelector(), XenUri.redact(host.uri()));
    }

    private PoolConnection existing(HostEndpoint host) {
        String key = keyOf(host);
        return key == null ? null : pools.get(key);
    }

    private String keyOf(HostEndpoint host) {
        try {
            XenUri u = XenUri.parse(host.uri());
            return u.connectionKey(u.user() != null ? u.user() : settings.user);
        } catch (DriverException e) {
            return null;
        }
    }

    private PoolConnection connection(HostEndpoint host) {
        if (host == null) {
            throw new DriverException("host: is required", null);
        }
        XenUri u = XenUri.parse(host.uri());
        Settings s = settings;
        String user = u.user() != null ? u.user() : s.user;
        char[] password = u.password() != null ? u.password() : s.password;
        if (user == null || user.isBlank()) {
            throw new DriverException("host.uri: no XAPI user: give https://user:password@master or set user and "
                    + ".password in " + PID + ".cfg", null);
        }
        return pools.computeIfAbsent(u.connectionKey(user), k -> {
            SSLContext tls;
            try {
                tls = Tls.context(s.tlsCertificate, s.trustAll);
            } catch (IllegalArgumentException e) {
                throw new DriverException(e.getMessage(), e);
            }
            String shown = u.endpoint().toString();
            return new PoolConnection(new XapiClient(u.endpoint(), shown, user, password, tls, s.connectTimeout,
                    s.callTimeout), s.eventsWait);
        });
    }

    /** Test hook: the client of the host's pool (to watch logins). */
    XapiClient clientOf(HostEndpoint host) {
        return connection(host).client();
    }

    private static String where(HostEndpoint host) {
        String uri = XenUri.redact(host == null ? null : host.uri());
        return host == null || host.hostName() == null || host.hostName().equals(host.uri()) ? uri
                : "host '" + host.hostName() + "' (" + uri + ")";
    }

    private record Settings(String user, char[] password, String tlsCertificate, boolean trustAll,
            Duration connectTimeout, Duration callTimeout, Duration eventsWait) {
        static final Settings DEFAULTS = new Settings("root", new char[0], "", false, Duration.ofSeconds(10),
                Duration.ofSeconds(120), Duration.ofSeconds(30));

        Settings {
            user = user == null ? "" : user.trim();
            tlsCertificate = tlsCertificate == null ? "" : tlsCertificate.trim();
        }

        @Override
        public String toString() {
            return "Settings[user=" + user + ", password=(hidden)]";
        }
    }
}
