package org.widecloud.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.service.Requests;
import org.widecloud.api.spi.MobilityBackend;
import org.widecloud.api.store.CloudStore;

/**
 * What a VM's networks ask of the host it runs on: a mobility backend may not reach every site (a VLAN is
 * trunked only to some), and a backend that moves a network as a whole (NEMO binds prefixes) keeps all the
 * network's VMs on the one host that is its mobile router.
 */
final class NetworkPlacement {
    private final CloudStore store;
    private final DriverRegistry drivers;

    NetworkPlacement(CloudStore store, DriverRegistry drivers) {
        this.store = store;
        this.drivers = drivers;
    }

    /** The rule for a new VM with these NICs (unknown networks are left to NIC validation). */
    Placement.HostRule forNics(List<Requests.NicRequest> nics) {
        List<Network> networks = new ArrayList<>();
        if (nics != null) {
            for (Requests.NicRequest nic : nics) {
                if (nic != null && nic.network() != null) {
                    store.network(nic.network()).or(() -> store.networkByName(nic.network())).ifPresent(networks::add);
                }
            }
        }
        return host -> refusal(networks, host, null);
    }

    /** Why {@code host} cannot take this VM (already placed elsewhere), or null. */
    String refusalForMove(Vm vm, Host host) {
        List<Network> networks = new ArrayList<>();
        vm.nics().forEach(nic -> store.network(nic.network()).ifPresent(networks::add));
        return refusal(networks, host, vm);
    }

    /** For a migration: the other VMs of a whole-moving network that share the VM's host, or null. */
    String splitRefusal(Vm vm) {
        for (var nic : vm.nics()) {
            Network n = store.network(nic.network()).orElse(null);
            if (n == null || !movesWhole(n)) {
                continue;
            }
            List<String> others = store.vms(PageRequest.of(0, 6), new CloudStore.VmFilter(vm.host(), n.id(), null, null))
                    .items().stream().filter(v -> !v.id().equals(vm.id())).map(Vm::name).toList();
            if (!others.isEmpty()) {
                return "network '" + n.name() + "' (" + n.mobility() + ") moves as a whole and vm(s) "
                        + String.join(", ", others) + " share it on this host: moving one alone would cut them off";
            }
        }
        return null;
    }

    private String refusal(List<Network> networks, Host host, Vm moving) {
        for (Network n : networks) {
            if (NetworkServiceImpl.PLAIN.equals(n.mobility())) {
                continue;
            }
            Optional<MobilityBackend> backend = drivers.findMobility(n.mobility());
            if (backend.isEmpty()) {
                continue; // reported as a missing backend when the VM lands
            }
            if (!backend.get().canExtendTo(NetworkMobility.attachment(n, null, null), host.site())) {
                return "network '" + n.name() + "' (" + n.mobility() + ") does not reach the site of host '"
                        + host.name() + "'";
            }
            if (backend.get().movesWholeNetwork()) {
                Optional<Vm> pinned = store.vms(PageRequest.of(0, 2), new CloudStore.VmFilter(null, n.id(), null, null))
                        .items().stream().filter(v -> moving == null || !v.id().equals(moving.id())).findFirst();
                if (pinned.isPresent() && !pinned.get().host().equals(host.id())) {
                    String at = store.host(pinned.get().host()).map(Host::name).orElse(pinned.get().host());
                    return "network '" + n.name() + "' (" + n.mobility() + ") moves as a whole and runs at host '" + at
                            + "' (vm '" + pinned.get().name() + "'): its vms share one host";
                }
            }
        }
        return null;
    }

    private boolean movesWhole(Network n) {
        return !NetworkServiceImpl.PLAIN.equals(n.mobility())
                && drivers.findMobility(n.mobility()).map(MobilityBackend::movesWholeNetwork).orElse(false);
    }
}
