package org.widecloud.api.spi;

import java.time.Duration;
import java.util.Map;

import org.widecloud.api.model.HostFacts;

/**
 * What a hypervisor bundle implements. Register the implementation as an OSGi service with the property
 * {@value #TYPE_PROPERTY} = its type ({@code kvm}, {@code xen}, {@code xenserver}, ...); core tracks these
 * dynamically. A driver keeps one connection per host (keyed by {@link HostEndpoint#uri()}), reconnects when it
 * drops and reports failures as {@link DriverException}. VMs are identified by their widecloud id, which the
 * driver uses as the hypervisor's UUID, or maps to the hypervisor's own id where the hypervisor assigns it (XAPI).
 */
public interface HypervisorDriver {
    String TYPE_PROPERTY = "hypervisor";

    /** The driver type, equal to the {@value #TYPE_PROPERTY} service property. */
    String type();

    /** Connects if needed and reads the host's facts. */
    HostFacts facts(HostEndpoint host);

    /** Defines (persistently) the VM on the host; fails if a domain of that name or id exists already. */
    void define(HostEndpoint host, VmSpec spec);

    void start(HostEndpoint host, String vmId);

    /**
     * Asks the guest to shut down and waits up to {@code timeout}; returns true if it went off by itself,
     * false if it had to be forced off.
     */
    boolean shutdown(HostEndpoint host, String vmId, Duration timeout);

    void reboot(HostEndpoint host, String vmId);

    /** Forced power-off; no error when already off. */
    void destroy(HostEndpoint host, String vmId);

    /** Removes the definition; no error when it is not defined. */
    void undefine(HostEndpoint host, String vmId);

    /** The VM's state, or {@link DomainState#MISSING} when the host does not know it. */
    DomainState state(HostEndpoint host, String vmId);

    /** States of all domains on the host, keyed by UUID (domains widecloud did not create included). */
    Map<String, DomainState> states(HostEndpoint host);

    /** Subscribes to lifecycle events of the host's domains; the listener is called on a driver thread. */
    void addListener(HostEndpoint host, DomainEventListener listener);

    void removeListener(HostEndpoint host, DomainEventListener listener);

    /** Closes the connection to the host (for example when it is deleted). */
    void disconnect(HostEndpoint host);

    /**
     * After a controller stop: aborts a migration job of the VM that the source host may still be running for the
     * dead controller (libvirt's peer-to-peer migrations go on without their client) and waits, at most
     * {@code wait}, until the source has no job any more, so that the VM cannot switch hosts while recovery
     * decides where it is. Returns true if a job was running. A job that cannot be aborted any more (post-copy)
     * is waited for. Default: the driver's migrations end with their caller.
     */
    default boolean abortMigration(HostEndpoint source, String vmId, java.time.Duration wait) {
        return false;
    }

    /** True when {@link #migrate} can move a running VM between two hosts of this driver. */
    default boolean supportsLiveMigration() {
        return false;
    }

    /**
     * Live-migrates a running VM from {@code source} to {@code target}; reports progress and returns what the
     * hypervisor measured. Drivers that cannot migrate keep this default.
     */
    default MigrationResult migrate(HostEndpoint source, HostEndpoint target, String vmId, MigrationOptions options,
            MigrationProgress progress) {
        throw new DriverException("driver '" + type() + "' cannot live-migrate", null);
    }
}
