package org.widecloud.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.widecloud.api.model.Image;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.api.store.CloudStore;

/**
 * Volumes on their backends, journalled: a row is stored CREATING before the backend creates anything and
 * DELETING before it removes anything, so that a controller stopped in between finishes the work at its next
 * start ({@link #recover()}, also run periodically, reconciler-style). Shared by the volume and VM services and
 * the migration saga.
 *
 * <p>A VM's root volume has the VM's id as its own id: it is known without an API field, survives renames
 * of either, and comes first among the VM's disks; the other disks follow in creation order.
 */
@Component(service = Volumes.class, configurationPid = CoreConfig.PID)
public class Volumes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Volumes.class);

    private final CloudStore store;
    private final DriverRegistry drivers;
    private final VmLocks locks;
    private final Audit audit;
    final Pools pools;
    /** Volumes an operation of this controller is working on: recovery leaves them alone. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService recovery;

    @Activate
    public Volumes(@Reference CloudStore store, @Reference DriverRegistry drivers, @Reference VmLocks locks,
            @Reference Audit audit, CoreConfig config) {
        this(store, drivers, locks, audit, Settings.from(config));
    }

    public Volumes(CloudStore store, DriverRegistry drivers, VmLocks locks, Audit audit, Settings settings) {
        this.store = store;
        this.drivers = drivers;
        this.locks = locks;
        this.audit = audit;
        this.pools = new Pools(store, drivers);
        this.recovery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widecloud-volume-recovery");
            t.setDaemon(true);
            return t;
        });
        long every = settings.reconcileInterval().toMillis();
        recovery.scheduleWithFixedDelay(this::recoverQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    @Override
    public void close() {
        recovery.shutdownNow();
        try {
            recovery.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- marks ---

    /** Marks a volume as worked on, or refuses while another operation works on it. */
    void hold(Volume v) {
        if (!busy.add(v.id())) {
            throw new ConflictException(null, "volume '" + v.name() + "' is busy with another operation; retry");
        }
    }

    void release(String volumeId) {
        busy.remove(volumeId);
    }

    // --- records ---

    static Volume with(Volume v, VolumeState state, String vm) {
        return new Volume(v.id(), v.name(), v.pool(), v.host(), v.sizeBytes(), v.format(), v.image(), vm, v.key(),
                state, v.created(), v.version());
    }

    static Volume placed(Volume v, String pool, String host, String key, long sizeBytes) {
        return new Volume(v.id(), v.name(), pool, host, sizeBytes, v.format(), v.image(), v.vm(), key, v.state(),
                v.created(), v.version());
    }

    static Volume formatted(Volume v, String format) {
        if (format == null || format.equals(v.format())) {
            return v;
        }
        return new Volume(v.id(), v.name(), v.pool(), v.host(), v.sizeBytes(), format, v.image(), v.vm(), v.key(),
                v.state(), v.created(), v.version());
    }

    static StorageBackend.VolumeRef ref(Volume v) {
        return new StorageBackend.VolumeRef(v.id(), v.key(), v.sizeBytes(), v.format());
    }

    /** A CREATING row for a new volume. */
    static Volume row(String id, String name, Pool pool, Host host, long size, String format, Image image, String vm) {
        return new Volume(id, name, pool.id(), host == null ? null : host.id(), size, format,
                image == null ? null : image.id(), vm, null, VolumeState.CREATING, Instant.now(), 0);
    }

    /** Where the backend acts for this volume: its host for host-local pools, else nowhere in particular. */
    HostEndpoint endpoint(Volume v) {
        return v.host() == null ? null : store.host(v.host()).map(Endpoints::of).orElse(null);
    }

    // --- create and remove on the backend ---

    /** The pool's backend, when new volumes may be placed there. */
    StorageBackend usable(Pool pool) {
        StorageBackend backend = pools.backend(pool);
        if (pool.state() != PoolState.ACTIVE) {
            throw new ConflictException("pool", "pool '" + pool.name() + "' is " + pool.state()
                    + (pool.stateReason() == null ? "" : " (" + pool.stateReason() + ")") + ": no new volumes there");
        }
        return backend;
    }


    /**
     * Creates on the backend what a stored CREATING row describes and stores the outcome: AVAILABLE, or IN_USE
     * when the row names its VM. On failure the row is removed and nothing is left.
     */
    Volume realise(Volume row) {
        Pool pool = store.pool(row.pool()).orElseThrow();
        StorageBackend backend;
        StorageBackend.VolumeRef made;
        HostEndpoint ep = endpoint(row);
        try {
            backend = pools.backend(pool);
            Image image = row.image() == null ? null : store.image(row.image()).orElseThrow(
                    () -> new ConflictException("image", "image " + row.image() + " is gone"));
            if (ep != null && backend.hostLocal()) {
                backend.open(Pools.ref(pool), ep); // a host that joined the site after the pool was made
            }
            made = backend.createVolume(Pools.ref(pool), ep, new StorageBackend.VolumeRequest(row.id(),
                    row.sizeBytes(), row.format(), image == null ? null : image.path(),
                    image == null ? null : image.format()));
        } catch (RuntimeException e) {
            store.deleteVolume(row.id());
            throw failure("creating volume '" + row.name() + "' in pool '" + pool.name() + "' failed", e);
        }
        // The backend has the last word on the format (an iSCSI LUN is raw whatever was asked).
        Volume done = with(formatted(placed(row, row.pool(), row.host(), made.key(),
                Math.max(row.sizeBytes(), made.sizeBytes())), made.format()),
                row.vm() == null ? VolumeState.AVAILABLE : VolumeState.IN_USE, row.vm());
        try {
            Volume stored = store.updateVolume(done);
            pools.remeasureQuietly(pool.id());
            return stored;
        } catch (RuntimeException e) {
            deleteQuietly(backend, pool, ep, done);
            store.deleteVolume(row.id());
            throw e;
        }
    }

    /** Removes a volume from its backend and the store, journalled as DELETING; a backend failure leaves ERROR. */
    void remove(Volume v) {
        Pool pool = store.pool(v.pool()).orElseThrow();
        StorageBackend backend = pools.backend(pool);
        Volume deleting = store.updateVolume(with(v, VolumeState.DELETING, v.vm()));
        try {
            backend.deleteVolume(Pools.ref(pool), endpoint(v), ref(v));
        } catch (RuntimeException e) {
            store.updateVolume(with(deleting, VolumeState.ERROR, deleting.vm()));
            throw failure("deleting volume '" + v.name() + "' from pool '" + pool.name() + "' failed", e);
        }
        store.deleteVolume(v.id());
        pools.remeasureQuietly(pool.id());
    }

    void deleteQuietly(StorageBackend backend, Pool pool, HostEndpoint ep, Volume v) {
        try {
            backend.deleteVolume(Pools.ref(pool), ep, ref(v));
        } catch (RuntimeException e) {
            LOG.warn("removing volume {} ({}) from pool {} failed: {}", v.name(), v.key(), pool.name(), e.getMessage());
        }
    }

    static RuntimeException failure(String what, RuntimeException e) {
        if (e instanceof CloudException c) {
            return c;
        }
        return new BackendException(what + ": " + JobManager.reason(e), e);
    }

    // --- a VM's disks ---

    /** The VM's volumes as disks in order: root first, then the others as they were created. */
    List<Volume> ofVm(String vmId) {
        List<Volume> attached = new ArrayList<>(store.volumes(PageRequest.all(),
                new CloudStore.VolumeFilter(null, vmId, null)).items());
        attached.removeIf(v -> v.state() == VolumeState.CREATING || v.state() == VolumeState.DELETING);
        attached.sort(Comparator.<Volume, Boolean>comparing(v -> !v.id().equals(vmId))
                .thenComparing(Volume::created).thenComparing(Volume::id));
        return attached;
    }

    VmSpec.Disk disk(Volume v, Host host) {
        Pool pool = store.pool(v.pool()).orElseThrow();
        return pools.backend(pool).attachInfo(Pools.ref(pool), ref(v), Endpoints.of(host));
    }

    /** Why {@code host} cannot attach the volume, or null. */
    String unreachable(Volume v, Host host) {
        Pool pool = store.pool(v.pool()).orElseThrow();
        StorageBackend backend = pools.backend(pool);
        if (!Pools.siteReaches(pool, host)) {
            return "volume '" + v.name() + "' is in pool '" + pool.name() + "' of another site than host '"
                    + host.name() + "'";
        }
        if (backend.hostLocal()) {
            return host.id().equals(v.host()) ? null : "volume '" + v.name() + "' lives on another host than '"
                    + host.name() + "'";
        }
        return backend.reachableFrom(Pools.ref(pool), Endpoints.of(host)) ? null
                : "host '" + host.name() + "' cannot reach pool '" + pool.name() + "'";
    }

    // --- recovery ---

    private void recoverQuietly() {
        try {
            recover();
        } catch (RuntimeException e) {
            LOG.warn("recovering volumes failed: {}", e.getMessage());
        }
    }

    /**
     * Finishes what a stopped controller left: CREATING rows are undone, DELETING ones deleted. A VM left CREATING
     * (whose host has no domain) or DELETING loses its root volume and the others are detached, so that the
     * reconciler can then remove the VM. Volumes of a migrating VM are left to the migration's recovery; those an
     * operation of this controller works on are left alone. Returns how many volumes it settled.
     */
    public int recover() {
        int settled = 0;
        // Only the half-done rows are read: this runs at every reconciliation interval.
        for (VolumeState half : List.of(VolumeState.CREATING, VolumeState.DELETING)) {
            for (Volume v : Page.all(page -> store.volumes(page, CloudStore.VolumeFilter.inState(half.name())))) {
                if (!StorageSteps.isCopy(v)) { // a migration's copy: the saga and its recovery own it
                    settled += settle(v, null) ? 1 : 0;
                }
            }
        }
        for (String state : List.of(VmState.CREATING.name(), VmState.DELETING.name())) {
            for (Vm vm : store.vms(PageRequest.all(), new CloudStore.VmFilter(null, null, null, state)).items()) {
                if (locks.isLocked(vm.id()) || (vm.state() == VmState.CREATING && !domainMissing(vm))) {
                    continue;
                }
                for (Volume v : all(vm.id())) {
                    if (StorageSteps.isCopy(v)) {
                        continue;
                    }
                    settled += settle(v, vm) ? 1 : 0;
                }
            }
        }
        return settled;
    }

    private List<Volume> all(String vmId) {
        return Page.all(page -> store.volumes(page, new CloudStore.VolumeFilter(null, vmId, null)));
    }

    /** Whether the host of a VM left CREATING answers that it has no domain for it (the create never defined it). */
    private boolean domainMissing(Vm vm) {
        try {
            Host host = store.host(vm.host()).orElseThrow();
            return drivers.findHypervisor(host.driver())
                    .map(d -> d.state(Endpoints.of(host), vm.id()) == org.widecloud.api.spi.DomainState.MISSING)
                    .orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Settles one volume; {@code abandoned} is the unfinished VM it belongs to, when that is why. */
    private boolean settle(Volume seen, Vm abandoned) {
        try {
            return settleMarked(seen, abandoned);
        } catch (RuntimeException e) {
            LOG.warn("recovering volume {} failed; retried later: {}", seen.name(), e.getMessage());
            return false;
        }
    }

    private boolean settleMarked(Volume seen, Vm abandoned) {
        Optional<Vm> vm = seen.vm() == null ? Optional.empty() : store.vm(seen.vm());
        if (vm.isPresent()) {
            if (vm.get().state() == VmState.MIGRATING) {
                return false; // the saga (or its recovery) decides about the copies
            }
            try {
                locks.lock(vm.get().id(), vm.get().name(), "volume recovery");
            } catch (ConflictException locked) {
                return false; // a job of this controller works on the vm
            }
        }
        try {
            hold(seen);
        } catch (ConflictException e) {
            vm.ifPresent(v -> locks.unlock(v.id()));
            return false;
        }
        try {
            // Read again under the marks: the work may have ended between the listing and now.
            Volume v = store.volume(seen.id()).orElse(null);
            if (v == null) {
                return false;
            }
            if (v.state() == VolumeState.CREATING) {
                Pool pool = store.pool(v.pool()).orElseThrow();
                // The backend may have made something before the controller stopped: it finds it by volume id.
                deleteQuietly(pools.backend(pool), pool, endpoint(v), v);
                store.deleteVolume(v.id());
                audit.record(null, "volume.recover", "volume", v.id(), "creation undone after a controller stop");
                return true;
            }
            boolean ofAbandoned = abandoned != null && abandoned.id().equals(v.vm());
            if (v.state() == VolumeState.DELETING || (ofAbandoned && v.id().equals(v.vm()))) {
                remove(v);
                audit.record(null, "volume.recover", "volume", v.id(), "deleted after a controller stop");
                return true;
            }
            if (ofAbandoned) {
                store.updateVolume(with(v, VolumeState.AVAILABLE, null));
                audit.record(null, "volume.recover", "volume", v.id(), "detached from vm " + abandoned.name()
                        + ", left unfinished by a controller stop");
                return true;
            }
            return false;
        } finally {
            release(seen.id());
            vm.ifPresent(v -> locks.unlock(v.id()));
        }
    }
}
