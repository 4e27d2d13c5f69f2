package org.widecloud.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.spi.DomainEventListener;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.store.CloudStore;
import org.widecloud.api.store.StaleVersionException;

/**
 * Keeps the store's view of hosts and VMs true to what the hypervisors report: on lifecycle events at once,
 * for every host periodically, when a driver comes or goes, and on demand. The store holds what a VM should
 * be (its definition); the hypervisor says what it is (its run state). It also finishes what a stopped
 * controller left half done: a VM left CREATING becomes DEFINED if its host has it, else it is removed; one left
 * DELETING is removed from the host and the store.
 */
@Component(service = Reconciler.class, configurationPid = CoreConfig.PID)
public class Reconciler implements DriverRegistry.Listener, DomainEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final CloudStore store;
    private final DriverRegistry drivers;
    private final VmLocks locks;
    private final Audit audit;
    private final ScheduledExecutorService scheduler;
    /** Hosts whose events we listen to, with the driver instance we subscribed with. */
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    private record Watched(HypervisorDriver driver, HostEndpoint endpoint) {
    }

    /** Optional so that plain wiring without storage works; with it, a VM finished off here loses its disks too. */
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile Volumes volumes;

    public void setVolumes(Volumes v) {
        volumes = v;
    }

    @Activate
    public Reconciler(@Reference CloudStore store, @Reference DriverRegistry drivers, @Reference VmLocks locks,
            @Reference Audit audit, CoreConfig config) {
        this(store, drivers, locks, audit, Settings.from(config));
    }

    public Reconciler(CloudStore store, DriverRegistry drivers, VmLocks locks, Audit audit, Settings settings) {
        this.store = store;
        this.drivers = drivers;
        this.locks = locks;
        this.audit = audit;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widecloud-reconciler");
            t.setDaemon(true);
            return t;
        });
        drivers.addListener(this);
        long every = settings.reconcileInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::reconcileAllQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    public void close() {
        drivers.removeListener(this);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watched.values().forEach(w -> {
            try {
                w.driver().removeListener(w.endpoint(), this);
            } catch (RuntimeException e) {
                LOG.debug("removing listener of {}", w.endpoint().hostName(), e);
            }
        });
        watched.clear();
    }

    @Override
    public void hypervisorChanged(String type, boolean added) {
        if (!added) {
            watched.values().removeIf(w -> w.driver().type().equals(type));
        }
        scheduler.execute(() -> {
            for (Host h : store.hosts(PageRequest.all(), null).items()) {
                if (h.driver().equals(type)) {
                    reconcileHostQuietly(h.id());
                }
            }
        });
    }

    /** Reconciles a host soon, on the reconciler's thread. */
    public void reconcileLater(String hostId) {
        scheduler.execute(() -> reconcileHostQuietly(hostId));
    }

    /** Stops listening to a host that is being deleted. */
    public void forget(Host host) {
        Watched w = watched.remove(host.id());
        if (w != null) {
            try {
                w.driver().removeListener(w.endpoint(), this);
                w.driver().disconnect(w.endpoint());
            } catch (RuntimeException e) {
                LOG.debug("forgetting host {}", host.name(), e);
            }
        }
    }

    private void reconcileAllQuietly() {
        try {
            for (Host h : store.hosts(PageRequest.all(), null).items()) {
                reconcileHostQuietly(h.id());
            }
        } catch (RuntimeException e) {
            LOG.warn("reconciliation failed: {}", e.getMessage(), e);
        }
    }

    private void reconcileHostQuietly(String hostId) {
        try {
            reconcileHost(hostId);
        } catch (RuntimeException e) {
            LOG.warn("reconciling host {} failed: {}", hostId, e.getMessage(), e);
        }
    }

    /** Re-reads one host's facts and the states of its VMs now, on the caller's thread. */
    public void reconcileHost(String hostId) {
        Optional<Host> found = store.host(hostId);
        if (found.isEmpty()) {
            return;
        }
        Host host = found.get();
        Optional<HypervisorDriver> driver = drivers.findHypervisor(host.driver());
        if (driver.isEmpty()) {
            setHostState(host, HostState.NO_DRIVER, "no hypervisor driver '" + host.driver() + "' installed");
            return;
        }
        HypervisorDriver d = driver.get();
        HostEndpoint ep = Endpoints.of(host);
        Map<String, DomainState> states;
        try {
            HostFacts facts = d.facts(ep);
            states = d.states(ep);
            watch(host, d, ep);
            Host withFacts = host.withFacts(facts);
            if (host.state() == HostState.MAINTENANCE) {
                withFacts = withFacts.withState(HostState.MAINTENANCE, host.stateReason());
            }
            if (!sameHost(host, withFacts)) {
                store.updateHost(withFacts);
            }
        } catch (RuntimeException e) {
            watched.remove(host.id());
            if (host.state() != HostState.MAINTENANCE) {
                setHostState(host, HostState.DOWN, "cannot reach host: " + e.getMessage());
            }
            return;
        }
        int offset = 0;
        while (true) {
            Page<Vm> page = store.vms(new PageRequest(offset, PageRequest.MAX_LIMIT),
                    CloudStore.VmFilter.onHost(host.id()));
            for (Vm vm : page.items()) {
                settle(d, ep, vm, states.getOrDefault(vm.id(), DomainState.MISSING));
            }
            offset += page.items().size();
            if (page.items().isEmpty() || offset >= page.total()) {
                break;
            }
        }
    }

    private static boolean sameHost(Host a, Host b) {
        return a.state() == b.state() && a.cpus() == b.cpus() && a.memoryMiB() == b.memoryMiB()
                && Objects.equals(a.hypervisorVersion(), b.hypervisorVersion())
                && Objects.equals(a.stateReason(), b.stateReason());
    }

    private void setHostState(Host host, HostState state, String reason) {
        if (host.state() != state || !Objects.equals(host.stateReason(), reason)) {
            try {
                store.updateHost(host.withState(state, reason));
            } catch (StaleVersionException e) {
                LOG.debug("host {} changed while reconciling; next round", host.name());
            }
        }
    }

    private void watch(Host host, HypervisorDriver d, HostEndpoint ep) {
        Watched w = watched.get(host.id());
        if (w != null && w.driver() == d && w.endpoint().equals(ep)) {
            return;
        }
        d.addListener(ep, this);
        watched.put(host.id(), new Watched(d, ep));
    }

    /** The VM's root volume goes, the others are detached: the store refuses to delete a VM volumes point at. */
    private void dropDisks(Vm vm) {
        Volumes v = volumes;
        if (v != null) {
            new VmDisks(store, v).drop(vm);
        }
    }

    /** Brings one VM's record in line with its domain's state, unless a job is acting on it. */
    private void settle(HypervisorDriver d, HostEndpoint ep, Vm vm, DomainState domain) {
        if (locks.isLocked(vm.id()) || vm.state() == VmState.MIGRATING) {
            // A job acts on it, or an unfinished migration: its saga (or its recovery) decides.
            return;
        }
        if (vm.state() == VmState.CREATING) {
            if (domain == DomainState.MISSING) {
                LOG.warn("vm {} was being created when the controller stopped and its host has no domain: removing it",
                        vm.name());
                dropDisks(vm);
                store.deleteVm(vm.id());
                audit.record(null, "vm.recover", "vm", vm.id(), "creation rolled back after a controller stop");
                return;
            }
        }
        if (vm.state() == VmState.DELETING) {
            LOG.warn("vm {} was being deleted when the controller stopped: finishing", vm.name());
            if (domain != DomainState.MISSING) {
                d.destroy(ep, vm.id());
                d.undefine(ep, vm.id());
            }
            dropDisks(vm);
            store.deleteVm(vm.id());
            audit.record(null, "vm.recover", "vm", vm.id(), "deletion finished after a controller stop");
            return;
        }
        VmState wanted = map(vm.state(), domain);
        String reason = domain == DomainState.MISSING ? "not defined on its host; it is defined again at start"
                : domain == DomainState.CRASHED ? "the hypervisor reports the guest crashed" : null;
        if (wanted != vm.state() || !Objects.equals(reason, vm.stateReason())) {
            try {
                store.updateVm(vm.withState(wanted, reason));
                if (wanted != vm.state()) {
                    LOG.info("vm {}: {} -> {} (host reports {})", vm.name(), vm.state(), wanted, domain);
                }
            } catch (StaleVersionException e) {
                LOG.debug("vm {} changed while reconciling; next round", vm.name());
            }
        }
    }

    static VmState map(VmState current, DomainState domain) {
        return switch (domain) {
            case RUNNING -> VmState.RUNNING;
            case PAUSED -> VmState.PAUSED;
            case SHUTOFF, MISSING -> current == VmState.DEFINED || current == VmState.CREATING ? VmState.DEFINED
                    : VmState.STOPPED;
            case CRASHED -> VmState.ERROR;
            case UNKNOWN -> VmState.UNKNOWN;
        };
    }

    @Override
    public void onEvent(String hostId, String vmId, DomainState state, String detail) {
        scheduler.execute(() -> {
            try {
                Optional<Vm> vm = store.vm(vmId);
                Optional<Host> host = store.host(hostId);
                if (vm.isEmpty() || host.isEmpty() || !hostId.equals(vm.get().host())) {
                    return;
                }
                Optional<HypervisorDriver> d = drivers.findHypervisor(host.get().driver());
                if (d.isPresent()) {
                    // Events can arrive late and out of order: settle on the state the host reports now.
                    HostEndpoint ep = Endpoints.of(host.get());
                    settle(d.get(), ep, vm.get(), d.get().state(ep, vmId));
                }
            } catch (RuntimeException e) {
                LOG.warn("applying event {} of vm {} failed: {}", state, vmId, e.getMessage(), e);
            }
        });
    }
}
