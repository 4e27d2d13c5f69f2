package org.widecloud.core;

import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.model.Network;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Vm;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MobilityBackend;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;
import org.widecloud.api.store.CloudStore;

/**
 * The mobility backends a VM's NICs need: one (backend, attachment) per NIC on a network whose mobility is not
 * plain bridging. Core calls them when a VM lands on a host, moves, or leaves.
 */
final class NetworkMobility {
    record Binding(MobilityBackend backend, NetworkAttachment attachment, Network network) {
    }

    private final CloudStore store;
    private final DriverRegistry drivers;

    NetworkMobility(CloudStore store, DriverRegistry drivers) {
        this.store = store;
        this.drivers = drivers;
    }

    /** Bindings of the VM's NICs; {@link DriverMissingException} when a network's backend is not installed. */
    List<Binding> of(Vm vm) {
        List<Binding> out = new ArrayList<>();
        for (Nic nic : vm.nics()) {
            Network n = store.network(nic.network()).orElseThrow();
            if (NetworkServiceImpl.PLAIN.equals(n.mobility())) {
                continue;
            }
            MobilityBackend b = drivers.findMobility(n.mobility())
                    .orElseThrow(() -> new DriverMissingException("mobility", n.mobility()));
            out.add(new Binding(b, attachment(n, vm.id(), nic), n));
        }
        return out;
    }

    /** The backend's view of a network and one NIC on it (VM fields null for the network alone). */
    static NetworkAttachment attachment(Network n, String vmId, Nic nic) {
        return new NetworkAttachment(n.id(), n.name(), n.ipv4Prefix(), n.ipv6Prefix(), n.bridge(), n.parameters(),
                vmId, nic == null ? null : nic.mac(), nic == null ? null : nic.ipv4(), nic == null ? null : nic.ipv6());
    }

    /** Makes the VM's networks present on the host before it runs there. */
    void attach(Vm vm, HostEndpoint host) {
        for (Binding b : of(vm)) {
            b.backend().attach(b.attachment(), host);
        }
    }

    /** Releases the networks on a host that no other VM there uses any more. */
    void releaseUnused(Vm vm, HostEndpoint host) {
        for (Binding b : of(vm)) {
            long others = store.vms(new org.widecloud.api.model.PageRequest(0, 2),
                    new CloudStore.VmFilter(host.hostId(), b.network().id(), null, null)).items().stream()
                    .filter(v -> !v.id().equals(vm.id())).count();
            if (others == 0) {
                b.backend().release(b.attachment(), host);
            }
        }
    }
}
