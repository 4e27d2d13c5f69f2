package org.widecloud.api.model;

import java.time.Instant;

/**
 * A hypervisor host. {@code driver} names the hypervisor driver type ({@code kvm}, {@code xen}, ...),
 * {@code uri} is how that driver reaches it (a libvirt URI for libvirt drivers).
 * {@code cpus} and {@code memoryMiB} are the capacity last read from the host (0 when never read).
 */
public record Host(String id, String name, String site, String driver, String uri, HostState state,
        int cpus, long memoryMiB, String hypervisorVersion, String stateReason, Instant created, long version)
        implements Entity {

    public Host withState(HostState s, String reason) {
        return new Host(id, name, site, driver, uri, s, cpus, memoryMiB, hypervisorVersion, reason, created, version);
    }

    public Host withFacts(HostFacts f) {
        return new Host(id, name, site, driver, uri, HostState.UP, f.cpus(), f.memoryMiB(), f.hypervisorVersion(),
                null, created, version);
    }
}
