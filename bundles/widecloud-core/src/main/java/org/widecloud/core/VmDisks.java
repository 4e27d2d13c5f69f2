package org.widecloud.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.store.CloudStore;

/**
 * The storage side of a VM's life: at create, its root volume made in a pool (from a disk image, copy-on-write
 * where the backend can; blank of {@code diskGiB} for a kernel image) and existing volumes attached; at delete
 * (or a failed create), the root volume removed and the others detached.
 */
final class VmDisks {
    private static final Logger LOG = LoggerFactory.getLogger(VmDisks.class);
    static final long GIB = 1024L * 1024 * 1024;

    /** What a create asks for, checked; {@code pool} null: no root volume. */
    record Plan(Pool pool, StorageBackend backend, Image image, long rootSize, List<Volume> volumes) {
    }

    private final CloudStore store;
    private final Volumes volumes;

    VmDisks(CloudStore store, Volumes volumes) {
        this.store = store;
        this.volumes = volumes;
    }

    /** Checks the request's pool, diskGiB and volumes before anything is placed or stored. */
    Plan plan(Requests.VmCreate r, Image image) {
        List<Volume> attach = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String ref : r.volumes() == null ? List.<String>of() : r.volumes()) {
            Volume v = Refs.field("volumes", "volume", ref, store::volume, store::volumeByName);
            if (!seen.add(v.id())) {
                throw new ValidationException("volumes", "volume '" + v.name() + "' is given twice");
            }
            if (v.vm() != null || v.state() != VolumeState.AVAILABLE) {
                throw new ConflictException("volumes", "volume '" + v.name() + "' is "
                        + (v.vm() != null ? "attached to another vm" : v.state()));
            }
            attach.add(v);
        }
        if (r.pool() == null) {
            if (r.diskGiB() != null) {
                throw new ValidationException("diskGiB", "applies with a pool (the root volume's size)");
            }
            return new Plan(null, null, null, 0, attach);
        }
        Pool pool = Refs.field("pool", "pool", r.pool(), store::pool, store::poolByName);
        StorageBackend backend = volumes.usable(pool);
        Long asked = null;
        if (r.diskGiB() != null) {
            if (r.diskGiB() <= 0 || r.diskGiB() > 64 * 1024) {
                throw new ValidationException("diskGiB", "must be between 1 and 65536");
            }
            asked = r.diskGiB() * GIB;
        }
        if (image.kind() == ImageKind.KERNEL) {
            if (asked == null) {
                throw new ValidationException("diskGiB", "is required: image '" + image.name()
                        + "' boots a kernel, so the root volume starts blank");
            }
            return new Plan(pool, backend, null, asked, attach);
        }
        return new Plan(pool, backend, image, VolumeServiceImpl.size("diskGiB", asked, image), attach);
    }

    /** The site placement must choose in when the caller named none: a site-local pool's. */
    String site(Plan p, String siteRef, String hostRef) {
        if (siteRef != null || hostRef != null || p.pool() == null || p.pool().wideArea()) {
            return siteRef;
        }
        return p.pool().site();
    }

    /** The host placement must take when the caller named none: the one holding a host-local volume. */
    String host(Plan p, String hostRef) {
        if (hostRef != null) {
            return hostRef;
        }
        return p.volumes().stream().map(Volume::host).filter(h -> h != null).findFirst().orElse(null);
    }

    /** Why a host cannot take the VM's disks, or null. */
    Placement.HostRule rule(Plan p) {
        return h -> {
            if (p.pool() != null) {
                if (!Pools.siteReaches(p.pool(), h)) {
                    return "pool '" + p.pool().name() + "' belongs to another site than host '" + h.name() + "'";
                }
                if (!p.backend().hostLocal() && !p.backend().reachableFrom(Pools.ref(p.pool()), Endpoints.of(h))) {
                    return "host '" + h.name() + "' cannot reach pool '" + p.pool().name() + "'";
                }
            }
            for (Volume v : p.volumes()) {
                String refused = volumes.unreachable(v, h);
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        };
    }

    /** Checks room for the root volume on the chosen host. */
    void checkRoom(Plan p, Host host) {
        if (p.pool() != null) {
            VolumeServiceImpl.checkRoom(p.pool(), p.backend(), p.backend().hostLocal() ? host : null, p.rootSize(),
                    "diskGiB");
        }
    }

    /**
     * Stores, within the VM's create transaction, the root volume's CREATING row (the VM's id is its id) and the
     * attachment of the other volumes.
     */
    void record(Plan p, Vm vm, Host host) {
        if (p.pool() != null) {
            store.insertVolume(Volumes.row(vm.id(), rootName(vm), p.pool(), p.backend().hostLocal() ? host : null,
                    p.rootSize(), "qcow2", p.image(), vm.id()));
        }
        for (Volume v : p.volumes()) {
            store.updateVolume(Volumes.with(v, VolumeState.IN_USE, vm.id()));
        }
    }

    private String rootName(Vm vm) {
        String name = vm.name() + "-root";
        return name.length() <= 64 && store.volumeByName(name).isEmpty() ? name : "root-" + vm.id();
    }

    /** Creates the root volume on its backend, if the VM has one still to make. */
    void realiseRoot(Vm vm) {
        store.volume(vm.id()).filter(v -> v.state() == VolumeState.CREATING).ifPresent(volumes::realise);
    }

    /**
     * Removes the root volume and detaches the others. Never blocks the VM's removal: a root volume the backend
     * cannot delete is detached in ERROR for an operator to delete.
     */
    void drop(Vm vm) {
        for (Volume v : store.volumes(PageRequest.all(), new CloudStore.VolumeFilter(null, vm.id(), null)).items()) {
            if (!v.id().equals(vm.id())) {
                store.updateVolume(Volumes.with(v, VolumeState.AVAILABLE, null));
                continue;
            }
            try {
                volumes.remove(v);
            } catch (RuntimeException e) {
                LOG.warn("vm {}: deleting its root volume {} failed, left detached in ERROR: {}", vm.name(), v.name(),
                        e.getMessage());
                store.volume(v.id()).ifPresent(left -> store.updateVolume(Volumes.with(left, VolumeState.ERROR, null)));
            }
        }
    }
}
