package org.widecloud.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A virtual machine. {@code host} is the id of the host it is defined on; {@code state} is the last state
 * known to the controller, reconciled with what the hypervisor reports.
 */
public record Vm(String id, String name, String owner, String host, int vcpus, long memoryMiB, String image,
        List<Nic> nics, VmState state, String stateReason, Instant created, Instant updated, long version)
        implements Entity {

    public Vm {
        nics = nics == null ? List.of() : List.copyOf(nics);
    }

    public Vm withState(VmState s, String reason) {
        return new Vm(id, name, owner, host, vcpus, memoryMiB, image, nics, s, reason, created, Instant.now(),
                version);
    }

    public Vm withHost(String h) {
        return new Vm(id, name, owner, h, vcpus, memoryMiB, image, nics, state, stateReason, created, Instant.now(),
                version);
    }
}
