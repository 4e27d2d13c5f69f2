package org.widecloud.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
import org.widecloud.driver.kvm.KvmDriver;

/**
 * The real KVM driver on libvirt's test hypervisor, plus a stand-in for live migration, which libvirt's test
 * driver cannot do: "migrate" defines and starts the domain at the target and removes it at the source, each
 * call made by the real driver. Failures can be injected. The real live migration between two libvirtds is
 * tested in the two-site lab.
 */
final class MovingTestDriver implements HypervisorDriver {
    final KvmDriver real = new KvmDriver();
    private final Map<String, VmSpec> specs = new ConcurrentHashMap<>();
    volatile RuntimeException failMigrate;
    /** Fails only migrations towards this host (to fail the way back of a rollback, or the way there). */
    volatile String failMigrateTo;
    /** What a copy-storage migration does to the VM's disks (a test's storage copies its files); null: nothing. */
    volatile DiskCopier diskCopier;
    /** States to report instead of the real ones, by host id + "/" + vm id (a paused post-copy source). */
    final Map<String, DomainState> reported = new ConcurrentHashMap<>();
    /** The copy-storage flag of each migration, in order. */
    final java.util.List<Boolean> copyStorageSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

    interface DiskCopier {
        void copy(HostEndpoint source, HostEndpoint target, VmSpec spec);
    }

    @Override
    public String type() {
        return "kvm";
    }

    /** Recovery's calls of abortMigration ("host vmId"); nothing runs a job here, so none is ever found. */
    final List<String> aborts = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean abortMigration(HostEndpoint source, String vmId, java.time.Duration wait) {
        aborts.add(source.hostName() + " " + vmId);
        return false;
    }

    @Override
    public boolean supportsLiveMigration() {
        return true;
    }

    @Override
    public MigrationResult migrate(HostEndpoint source, HostEndpoint target, String vmId, MigrationOptions options,
            MigrationProgress progress) {
        RuntimeException fail = failMigrate;
        if (fail != null && (failMigrateTo == null || failMigrateTo.equals(target.hostId()))) {
            throw fail;
        }
        if (real.state(source, vmId) != DomainState.RUNNING) {
            throw new DriverException("domain " + vmId + " is not running at " + source.hostName(), null);
        }
        copyStorageSeen.add(options.copyStorage());
        DiskCopier copier = diskCopier;
        if (options.copyStorage() && copier != null) {
            copier.copy(source, target, specs.get(vmId));
        }
        progress.update(50, 1000, 2000);
        real.define(target, specs.get(vmId));
        real.start(target, vmId);
        real.destroy(source, vmId);
        real.undefine(source, vmId);
        progress.update(100, 2000, 2000);
        return new MigrationResult(7, 2000, 30);
    }

    @Override
    public HostFacts facts(HostEndpoint host) {
        return real.facts(host);
    }

    @Override
    public void define(HostEndpoint host, VmSpec spec) {
        real.define(host, spec);
        specs.put(spec.id(), spec);
    }

    @Override
    public void start(HostEndpoint host, String vmId) {
        real.start(host, vmId);
    }

    @Override
    public boolean shutdown(HostEndpoint host, String vmId, Duration timeout) {
        return real.shutdown(host, vmId, timeout);
    }

    @Override
    public void reboot(HostEndpoint host, String vmId) {
        real.reboot(host, vmId);
    }

    @Override
    public void destroy(HostEndpoint host, String vmId) {
        real.destroy(host, vmId);
    }

    @Override
    public void undefine(HostEndpoint host, String vmId) {
        real.undefine(host, vmId);
    }

    @Override
    public DomainState state(HostEndpoint host, String vmId) {
        DomainState r = reported.get(host.hostId() + "/" + vmId);
        return r != null ? r : real.state(host, vmId);
    }

    @Override
    public Map<String, DomainState> states(HostEndpoint host) {
        return real.states(host);
    }

    @Override
    public void addListener(HostEndpoint host, DomainEventListener listener) {
        real.addListener(host, listener);
    }

    @Override
    public void removeListener(HostEndpoint host, DomainEventListener listener) {
        real.removeListener(host, listener);
    }

    @Override
    public void disconnect(HostEndpoint host) {
        real.disconnect(host);
    }

    /** The spec the VM was last defined with. */
    VmSpec defined(String vmId) {
        return specs.get(vmId);
    }

    void close() {
        real.close();
    }
}
