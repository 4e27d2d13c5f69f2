package org.widecloud.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.store.CloudStore;

/**
 * The migration saga's storage steps. Volumes the target host reaches (wide-area pools, shared storage of its
 * site) need nothing. A host-local volume moves with a copy-storage migration: a blank volume of the same size and
 * format is made at the target first, in the same pool when the target host is in the pool's site, else in a pool
 * of the target's site with the same backend and parameters (libvirt copies each disk to the same path on the
 * target, so the copy must get the source's key). Each copy is a journalled row ({@link #COPY_PREFIX} + the
 * source's id, CREATING, attached to the VM) that rollback and recovery find again: they remove the copies; once
 * the VM runs at the target the source volumes are deleted and the records take the copies' pool, host and key.
 */
final class StorageSteps {
    private static final Logger LOG = LoggerFactory.getLogger(StorageSteps.class);
    /** Name of the row that journals the copy of a volume during a migration: this prefix + the source's id. */
    static final String COPY_PREFIX = "mig-";

    /** A volume that moves, and the pool its copy goes to. */
    record Move(Volume source, Pool target) {
    }

    private final CloudStore store;
    private final Volumes volumes;

    StorageSteps(CloudStore store, Volumes volumes) {
        this.store = store;
        this.volumes = volumes;
    }

    static boolean isCopy(Volume v) {
        return v.name().startsWith(COPY_PREFIX) && v.state() == VolumeState.CREATING;
    }

    /** The VM's volumes that must be copied to {@code target}; refused (409 naming host) when one cannot be. */
    List<Move> plan(Vm vm, Host target) {
        List<Move> moves = new ArrayList<>();
        for (Volume v : volumes.ofVm(vm.id())) {
            if (volumes.unreachable(v, target) == null) {
                continue;
            }
            Pool pool = store.pool(v.pool()).orElseThrow();
            StorageBackend backend = volumes.pools.backend(pool);
            if (!backend.hostLocal()) {
                throw new ConflictException("host", "volume '" + v.name() + "' is in pool '" + pool.name()
                        + "', which host '" + target.name() + "' cannot reach; only host-local volumes are copied");
            }
            Pool into = Pools.siteReaches(pool, target) ? pool : sibling(pool, v, target);
            try {
                VolumeServiceImpl.checkRoom(into, backend, target, v.sizeBytes(), "host");
            } catch (CloudException e) {
                throw new ConflictException("host", "volume '" + v.name() + "' cannot be copied to host '"
                        + target.name() + "': " + e.getMessage(), e);
            }
            moves.add(new Move(v, into));
        }
        return moves;
    }

    /** How many of the VM's volumes stay where they are (storage both hosts reach). */
    int sharedDisks(Vm vm, List<Move> moves) {
        return volumes.ofVm(vm.id()).size() - moves.size();
    }

    /** A pool of the target's site that gives a copy the same key: same backend and parameters, active, with room. */
    private Pool sibling(Pool pool, Volume v, Host target) {
        return store.pools(PageRequest.all(), target.site()).items().stream()
                .filter(p -> target.site().equals(p.site()) && p.backend().equals(pool.backend())
                        && p.parameters().equals(pool.parameters()) && p.state() == PoolState.ACTIVE)
                .filter(p -> p.capacityBytes() == 0 || p.capacityBytes() - p.usedBytes() >= v.sizeBytes())
                .findFirst()
                .orElseThrow(() -> new ConflictException("host", "volume '" + v.name() + "' of pool '" + pool.name()
                        + "' lives at its host only, and the site of host '" + target.name() + "' has no active pool of "
                        + "backend '" + pool.backend() + "' with the same parameters and " + v.sizeBytes()
                        + " bytes free to copy it to"));
    }

    /** Makes the blank copies at the target, each journalled before the backend acts. */
    void createCopies(Vm vm, Host target, List<Move> moves) {
        for (Move m : moves) {
            Volume s = m.source();
            Volume row = new Volume(UUID.randomUUID().toString(), COPY_PREFIX + s.id(), m.target().id(), target.id(),
                    s.sizeBytes(), s.format(), null, vm.id(), null, VolumeState.CREATING, Instant.now(), 0);
            store.insertVolume(row);
            StorageBackend backend = volumes.pools.backend(m.target());
            StorageBackend.VolumeRef made;
            try {
                made = backend.createVolume(Pools.ref(m.target()), Endpoints.of(target),
                        new StorageBackend.VolumeRequest(s.id(), s.sizeBytes(), s.format(), null, null));
            } catch (RuntimeException e) {
                throw Volumes.failure("creating the copy of volume '" + s.name() + "' at host '" + target.name()
                        + "' failed", e);
            }
            store.updateVolume(Volumes.placed(row, row.pool(), row.host(), made.key(), row.sizeBytes()));
            if (!s.key().equals(made.key())) {
                throw new ConflictException("host", "the copy of volume '" + s.name() + "' at host '" + target.name()
                        + "' got key '" + made.key() + "', not '" + s.key() + "': the disk must keep its path");
            }
        }
    }

    /** The copy rows of a VM's migration. */
    private List<Volume> copies(Vm vm) {
        return store.volumes(PageRequest.all(), new CloudStore.VolumeFilter(null, vm.id(), null)).items().stream()
                .filter(StorageSteps::isCopy).toList();
    }

    /**
     * Rollback: removes the copies made at the target; failures are logged, the rows go. A copy without a key was
     * never confirmed made: it is not looked for by id, since that id is the source's (on storage the two hosts
     * share by mistake, that would be the source itself).
     */
    void removeCopies(Vm vm) {
        for (Volume c : copies(vm)) {
            if (c.key() == null) {
                LOG.warn("vm {}: the copy of volume {} at host {} was not confirmed made; nothing removed there",
                        vm.name(), sourceId(c), c.host());
                store.deleteVolume(c.id());
                continue;
            }
            try {
                Pool pool = store.pool(c.pool()).orElseThrow();
                volumes.pools.backend(pool).deleteVolume(Pools.ref(pool), volumes.endpoint(c),
                        new StorageBackend.VolumeRef(sourceId(c), c.key(), c.sizeBytes(), c.format()));
            } catch (RuntimeException e) {
                LOG.warn("vm {}: removing the copy {} at host {} failed: {}", vm.name(), c.key(), c.host(),
                        e.getMessage());
            }
            store.deleteVolume(c.id());
        }
    }

    /**
     * The VM runs at the target: deletes each source volume and gives its record the copy's pool, host and key.
     * Returns the bytes of the volumes moved.
     */
    long finish(Vm vm) {
        long bytes = 0;
        for (Volume c : copies(vm)) {
            Volume s = store.volume(sourceId(c)).orElse(null);
            if (s == null) {
                store.deleteVolume(c.id());
                continue;
            }
            try {
                Pool pool = store.pool(s.pool()).orElseThrow();
                volumes.pools.backend(pool).deleteVolume(Pools.ref(pool), volumes.endpoint(s), Volumes.ref(s));
            } catch (RuntimeException e) {
                LOG.warn("vm {}: removing the source of volume {} at host {} failed (the vm uses the copy): {}",
                        vm.name(), s.name(), s.host(), e.getMessage());
            }
            store.inTransaction(() -> {
                store.updateVolume(Volumes.placed(s, c.pool(), c.host(), c.key(), s.sizeBytes()));
                store.deleteVolume(c.id());
                return null;
            });
            volumes.pools.remeasureQuietly(s.pool());
            volumes.pools.remeasureQuietly(c.pool());
            bytes += s.sizeBytes();
        }
        return bytes;
    }

    private static String sourceId(Volume copy) {
        return copy.name().substring(COPY_PREFIX.length());
    }
}
