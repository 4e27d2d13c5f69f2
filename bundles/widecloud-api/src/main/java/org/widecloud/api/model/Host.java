package org.widecloud.api.model;

import java.time.Instant;

/**
 * A hypervisor host. {@code driver} names the hypervisor driver type ({@code kvm}, {@code xen}, ...),
 * {@code uri} is how that driver reaches it (a libvirt URI for libvirt drivers).
 * {@code cpus} and {@code memoryMiB} are the capacity last read from the host (0 when never read).
 * {@code address} is the host's underlay address on its site network (tunnel endpoint, care-of address) and
 * {@code executor} how commands run on it ({@code local}, {@code netns:NAME}, {@code ssh://user@host}); both
 * may be null and are needed only by mobility and storage backends that configure the host.
 */
public record Host(String id, String name, String site, String driver, String uri, HostState state,
        int cpus, long memoryMiB, String hypervisorVersion, String stateReason, Instant created, long version,
        String address, String executor) implements Entity {

    /** A host without underlay address and executor. */
    public Host(String id, String name, String site, String driver, String uri, HostState state, int cpus,
            long memoryMiB, String hypervisorVersion, String stateReason, Instant created, long version) {
        this(id, name, site, driver, uri, state, cpus, memoryMiB, hypervisorVersion, stateReason, created, version,
                null, null);
    }

    public Host withState(HostState s, String reason) {
        return new Host(id, name, site, driver, uri, s, cpus, memoryMiB, hypervisorVersion, reason, created, version,
                address, executor);
    }

    public Host withFacts(HostFacts f) {
        return new Host(id, name, site, driver, uri, HostState.UP, f.cpus(), f.memoryMiB(), f.hypervisorVersion(),
                null, created, version, address, executor);
    }
}
