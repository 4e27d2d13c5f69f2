package org.widecloud.core;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.service.VmService;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.api.store.CloudStore;
import org.widecloud.api.store.StaleVersionException;

/**
 * VM lifecycle. Each operation is checked synchronously (nothing changes when it is refused), then recorded as a
 * job and run on a job thread while the VM is locked. A failed create leaves nothing behind: not in libvirt,
 * not in the store.
 */
@Component(service = VmService.class, configurationPid = CoreConfig.PID)
public class VmServiceImpl implements VmService {
    private static final Logger LOG = LoggerFactory.getLogger(VmServiceImpl.class);
    private static final Set<VmState> ACTIVE = EnumSet.of(VmState.RUNNING, VmState.PAUSED);

    private final CloudStore store;
    private final Audit audit;
    private final DriverRegistry drivers;
    private final JobManager jobs;
    private final VmLocks locks;
    private final Settings settings;
    private final Placement placement;
    private final NetworkPlacement networkPlacement;
    private final Nics nics;
    /** Placement and address choice of concurrent creates must not pick the same room or address. */
    private final Object createLock = new Object();

    private final MigrationSaga saga;
    private final NetworkMobility mobility;
    private final VmSpecs specs;
    private final VmDisks disks;

    @Activate
    public VmServiceImpl(@Reference CloudStore store, @Reference Audit audit, @Reference DriverRegistry drivers,
            @Reference JobManager jobs, @Reference VmLocks locks, @Reference MigrationSaga saga,
            @Reference Volumes volumes, CoreConfig config) {
        this(store, audit, drivers, jobs, locks, saga, volumes, Settings.from(config));
    }

    public VmServiceImpl(CloudStore store, Audit audit, DriverRegistry drivers, JobManager jobs, VmLocks locks,
            MigrationSaga saga, Volumes volumes, Settings settings) {
        this.saga = saga;
        this.specs = new VmSpecs(store, volumes);
        this.disks = new VmDisks(store, volumes);
        this.mobility = new NetworkMobility(store, drivers);
        this.store = store;
        this.audit = audit;
        this.drivers = drivers;
        this.jobs = jobs;
        this.locks = locks;
        this.settings = settings;
        this.placement = new Placement(store, drivers);
        this.networkPlacement = new NetworkPlacement(store, drivers);
        this.nics = new Nics(store);
    }

    // --- create ---

    @Override
    public Job create(String user, Requests.VmCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        int vcpus = positive("vcpus", r.vcpus() == null ? null : r.vcpus().longValue(), 256).intValue();
        long memory = positive("memoryMiB", r.memoryMiB(), 4L * 1024 * 1024);
        Image image = Refs.field("image", "image", r.image(), store::image, store::imageByName);
        boolean start = Boolean.TRUE.equals(r.start());
        VmDisks.Plan plan = disks.plan(r, image);
        Placement.HostRule networks = networkPlacement.forNics(r.nics());
        Placement.HostRule storage = disks.rule(plan);
        Vm vm;
        Job job;
        synchronized (createLock) {
            if (store.vmByName(name).isPresent()) {
                throw new ConflictException("name", "a vm named '" + name + "' exists already");
            }
            Host host = placement.place(disks.host(plan, r.host()), disks.site(plan, r.site(), r.host()), vcpus,
                    memory, h -> {
                        String refused = networks.refusal(h);
                        return refused != null ? refused : storage.refusal(h);
                    });
            disks.checkRoom(plan, host);
            List<Nic> resolved = nics.resolve(r.nics());
            Instant now = Instant.now();
            vm = new Vm(UUID.randomUUID().toString(), name, user, host.id(), vcpus, memory, image.id(), resolved,
                    VmState.CREATING, null, now, now, 0);
            job = jobs.newJob("vm.create", "vm", vm.id(), user);
            Vm v = vm;
            Job j = job;
            // Locked before the row exists: the reconciler removes an unlocked CREATING VM that its host lacks.
            locks.lock(vm.id(), name, job.id());
            try {
                StoreErrors.run("vm", () -> store.inTransaction(() -> {
                    store.insertVm(v);
                    disks.record(plan, v, host);
                    store.insertJob(j);
                    return null;
                }));
            } catch (RuntimeException e) {
                locks.unlock(vm.id());
                throw e;
            }
        }
        audit.record(user, "vm.create", "vm", vm.id(), name + " on host " + vm.host());
        Vm created = vm;
        return jobs.run(job, progress -> createOnHost(created, start, progress), () -> locks.unlock(created.id()));
    }

    private void createOnHost(Vm vm, boolean start, JobManager.Progress progress) {
        Host host = store.host(vm.host()).orElseThrow();
        HostEndpoint ep = Endpoints.of(host);
        HypervisorDriver d;
        try {
            d = drivers.hypervisor(host.driver());
            progress.update(10, "creating its volumes");
            disks.realiseRoot(vm);
            progress.update(20, "defining on host " + host.name());
            d.define(ep, spec(vm));
        } catch (RuntimeException e) {
            disks.drop(vm);
            store.deleteVm(vm.id());
            throw failure("defining vm '" + vm.name() + "' on host '" + host.name() + "' failed", e);
        }
        if (start) {
            try {
                progress.update(50, "attaching its networks at host " + host.name());
                mobility.attach(vm, ep);
                progress.update(60, "starting");
                d.start(ep, vm.id());
            } catch (RuntimeException e) {
                removeQuietly(d, ep, vm);
                disks.drop(vm);
                store.deleteVm(vm.id());
                throw failure("starting vm '" + vm.name() + "' on host '" + host.name() + "' failed", e);
            }
        }
        settleState(vm.id(), d.state(ep, vm.id()), VmState.DEFINED);
    }

    private static void removeQuietly(HypervisorDriver d, HostEndpoint ep, Vm vm) {
        try {
            d.destroy(ep, vm.id());
            d.undefine(ep, vm.id());
        } catch (RuntimeException e) {
            LOG.warn("rolling back vm {} on {}: {}", vm.name(), ep.hostName(), e.getMessage());
        }
    }

    private static RuntimeException failure(String what, RuntimeException e) {
        if (e instanceof ConflictException c) {
            return c;
        }
        return new BackendException(what + ": " + JobManager.reason(e), e);
    }

    /** The spec a driver defines, from the VM and what it references (its volumes included). */
    VmSpec spec(Vm vm) {
        return specs.spec(vm);
    }

    private static Long positive(String field, Long value, long max) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        if (value <= 0) {
            throw new ValidationException(field, "must be greater than 0");
        }
        if (value > max) {
            throw new ValidationException(field, "must be at most " + max);
        }
        return value;
    }

    // --- read ---

    @Override
    public Vm get(String ref) {
        return Refs.path("vm", ref, store::vm, store::vmByName);
    }

    @Override
    public Page<Vm> list(PageRequest page, String host, String state) {
        String hostId = host == null ? null : Refs.field("host", "host", host, store::host, store::hostByName).id();
        String s = state == null ? null : Enums.parse("state", VmState.class, state).name();
        return store.vms(page, new CloudStore.VmFilter(hostId, null, null, s));
    }

    // --- update ---

    @Override
    public Vm update(String user, String ref, Requests.VmUpdate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Vm vm = get(ref);
        StoreErrors.expectVersion("vm", r.version(), vm.version());
        String name = r.name() == null ? vm.name() : Names.name("name", r.name());
        int vcpus = r.vcpus() == null ? vm.vcpus() : positive("vcpus", r.vcpus().longValue(), 256).intValue();
        long memory = r.memoryMiB() == null ? vm.memoryMiB() : positive("memoryMiB", r.memoryMiB(), 4L * 1024 * 1024);
        boolean changesDomain = !name.equals(vm.name()) || vcpus != vm.vcpus() || memory != vm.memoryMiB();
        if (!changesDomain) {
            return vm;
        }
        if (!name.equals(vm.name()) && store.vmByName(name).isPresent()) {
            throw new ConflictException("name", "a vm named '" + name + "' exists already");
        }
        if (vm.state() != VmState.DEFINED && vm.state() != VmState.STOPPED) {
            throw new ConflictException("state", "vm '" + vm.name() + "' is " + vm.state()
                    + "; stop it before changing its name, vcpus or memory");
        }
        Host host = store.host(vm.host()).orElseThrow();
        HypervisorDriver d = drivers.hypervisor(host.driver());
        if (vcpus > vm.vcpus() || memory > vm.memoryMiB()) {
            placement.checkFits(host, vcpus, memory - vm.memoryMiB(), "memoryMiB");
        }
        locks.lock(vm.id(), vm.name(), "update");
        try {
            Vm changed = new Vm(vm.id(), name, vm.owner(), vm.host(), vcpus, memory, vm.image(), vm.nics(), vm.state(),
                    vm.stateReason(), vm.created(), Instant.now(), vm.version());
            HostEndpoint ep = Endpoints.of(host);
            redefine(d, ep, vm, changed);
            Vm updated;
            try {
                updated = StoreErrors.translate("vm", () -> store.updateVm(changed));
            } catch (RuntimeException e) {
                redefine(d, ep, changed, vm);
                throw e;
            }
            audit.record(user, "vm.update", "vm", vm.id(), name + " vcpus=" + vcpus + " memoryMiB=" + memory);
            return updated;
        } finally {
            locks.unlock(vm.id());
        }
    }

    private void redefine(HypervisorDriver d, HostEndpoint ep, Vm from, Vm to) {
        VmSpecs.redefine(d, ep, spec(from), spec(to));
    }

    // --- lifecycle operations ---

    /** What an operation does on the hypervisor, with everything resolved. */
    @FunctionalInterface
    private interface Action {
        void run(Vm vm, HypervisorDriver d, HostEndpoint ep, JobManager.Progress progress);
    }

    private Job operate(String user, String ref, String type, Set<VmState> allowed, String refusal, Action action) {
        Vm vm = get(ref);
        if (!allowed.contains(vm.state())) {
            throw new ConflictException("state", "vm '" + vm.name() + "' is " + vm.state() + ": " + refusal);
        }
        Host host = store.host(vm.host()).orElseThrow();
        HypervisorDriver d = drivers.hypervisor(host.driver());
        if (host.state() == HostState.DOWN) {
            throw new ConflictException("host", "host '" + host.name() + "' does not answer ("
                    + host.stateReason() + ")");
        }
        Job job = jobs.newJob(type, "vm", vm.id(), user);
        locks.lock(vm.id(), vm.name(), job.id());
        try {
            store.insertJob(job);
        } catch (RuntimeException e) {
            locks.unlock(vm.id());
            throw e;
        }
        audit.record(user, type, "vm", vm.id(), vm.name());
        HostEndpoint ep = Endpoints.of(host);
        return jobs.run(job, progress -> {
            try {
                action.run(vm, d, ep, progress);
            } catch (DriverException e) {
                refreshState(vm.id(), d, ep);
                throw new BackendException(type + " of vm '" + vm.name() + "' failed: " + e.getMessage(), e);
            }
        }, () -> locks.unlock(vm.id()));
    }

    private void refreshState(String vmId, HypervisorDriver d, HostEndpoint ep) {
        try {
            settleState(vmId, d.state(ep, vmId), null);
        } catch (RuntimeException e) {
            LOG.debug("re-reading the state of {} failed", vmId, e);
        }
    }

    /** Stores the state the hypervisor reports, retrying when the reconciler wrote in between. */
    private void settleState(String vmId, DomainState domain, VmState whenOff) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Vm current = store.vm(vmId).orElse(null);
            if (current == null) {
                return;
            }
            VmState s = domain == DomainState.SHUTOFF && whenOff != null ? whenOff
                    : Reconciler.map(current.state(), domain);
            try {
                store.updateVm(current.withState(s, null));
                return;
            } catch (StaleVersionException e) {
                LOG.debug("vm {} changed while settling its state; retrying", vmId);
            }
        }
    }

    private static final Set<VmState> STARTABLE = EnumSet.of(VmState.DEFINED, VmState.STOPPED, VmState.ERROR,
            VmState.UNKNOWN);

    @Override
    public Job start(String user, String ref) {
        return operate(user, ref, "vm.start", STARTABLE, "only a defined or stopped vm can start", (vm, d, ep, p) -> {
            if (d.state(ep, vm.id()) == DomainState.MISSING) {
                p.update(20, "defining on host " + ep.hostName());
                d.define(ep, spec(store.vm(vm.id()).orElseThrow()));
            }
            p.update(40, "attaching its networks at host " + ep.hostName());
            mobility.attach(vm, ep);
            p.update(50, "starting");
            d.start(ep, vm.id());
            settleState(vm.id(), d.state(ep, vm.id()), VmState.STOPPED);
        });
    }

    @Override
    public Job stop(String user, String ref, Duration timeout) {
        Duration t = timeout == null ? settings.stopTimeout() : timeout;
        if (t.isNegative() || t.toSeconds() > 3600) {
            throw new ValidationException("timeout", "must be between 0 and 3600 seconds");
        }
        return operate(user, ref, "vm.stop", ACTIVE, "only a running vm can stop", (vm, d, ep, p) -> {
            p.update(10, "asking the guest to shut down (up to " + t.toSeconds() + " s)");
            boolean graceful = d.shutdown(ep, vm.id(), t);
            p.update(90, graceful ? "guest shut down" : "guest did not shut down in time: forced off");
            settleState(vm.id(), d.state(ep, vm.id()), VmState.STOPPED);
        });
    }

    @Override
    public Job reboot(String user, String ref) {
        return operate(user, ref, "vm.reboot", EnumSet.of(VmState.RUNNING), "only a running vm can reboot",
                (vm, d, ep, p) -> {
                    p.update(50, "rebooting");
                    d.reboot(ep, vm.id());
                    settleState(vm.id(), d.state(ep, vm.id()), VmState.STOPPED);
                });
    }

    @Override
    public Job destroy(String user, String ref) {
        return operate(user, ref, "vm.destroy", EnumSet.of(VmState.RUNNING, VmState.PAUSED, VmState.ERROR,
                VmState.UNKNOWN), "it is not running", (vm, d, ep, p) -> {
                    p.update(50, "forcing off");
                    d.destroy(ep, vm.id());
                    settleState(vm.id(), d.state(ep, vm.id()), VmState.STOPPED);
                });
    }

    @Override
    public Job delete(String user, String ref) {
        Set<VmState> deletable = EnumSet.complementOf(EnumSet.of(VmState.CREATING, VmState.MIGRATING));
        return operate(user, ref, "vm.delete", deletable, "wait until it settles", (vm, d, ep, p) -> {
            // Journalled first: a controller stopped from here on finishes the deletion at restart.
            store.updateVm(store.vm(vm.id()).orElseThrow().withState(VmState.DELETING, "being deleted"));
            p.update(30, "forcing off");
            d.destroy(ep, vm.id());
            p.update(60, "undefining");
            d.undefine(ep, vm.id());
            try {
                mobility.releaseUnused(vm, ep);
            } catch (RuntimeException e) {
                LOG.warn("vm {}: releasing its networks at {} failed: {}", vm.name(), ep.hostName(), e.getMessage());
            }
            p.update(80, "deleting its root volume, detaching the others");
            disks.drop(vm);
            store.deleteVm(vm.id());
        });
    }

    @Override
    public Job migrate(String user, String ref, Requests.VmMigrate request) {
        return saga.start(user, get(ref), request);
    }

    @Override
    public Page<org.widecloud.api.model.Migration> migrations(String ref, PageRequest page) {
        return saga.list(get(ref), page);
    }
}
