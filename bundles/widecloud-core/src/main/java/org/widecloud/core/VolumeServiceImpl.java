package org.widecloud.core;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.service.VolumeService;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.api.store.CloudStore;

/**
 * Disk volumes: checked synchronously (nothing changes when refused), created and deleted journalled through
 * {@link Volumes}. Attaching and detaching change a stopped VM's definition on its host.
 */
@Component(service = VolumeService.class)
public class VolumeServiceImpl implements VolumeService {
    /** A VM's disks change only while it does not run. */
    static final Set<VmState> QUIET = EnumSet.of(VmState.STOPPED, VmState.DEFINED);

    private final CloudStore store;
    private final Audit audit;
    private final DriverRegistry drivers;
    private final VmLocks locks;
    private final Volumes volumes;
    private final VmSpecs specs;

    @Activate
    public VolumeServiceImpl(@Reference CloudStore store, @Reference Audit audit, @Reference DriverRegistry drivers,
            @Reference VmLocks locks, @Reference Volumes volumes) {
        this.store = store;
        this.audit = audit;
        this.drivers = drivers;
        this.locks = locks;
        this.volumes = volumes;
        this.specs = new VmSpecs(store, volumes);
    }

    // --- create ---

    @Override
    public Volume create(String user, Requests.VolumeCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        Pool pool = Refs.field("pool", "pool", r.pool(), store::pool, store::poolByName);
        String format = format(r.format());
        Image image = r.image() == null ? null : diskImage("image", r.image());
        long size = size("sizeBytes", r.sizeBytes(), image);
        StorageBackend backend = volumes.usable(pool);
        Host host = hostFor(pool, backend, r.host());
        checkRoom(pool, backend, host, size, "sizeBytes");
        if (store.volumeByName(name).isPresent()) {
            throw new ConflictException("name", "a volume named '" + name + "' exists already");
        }
        Volume row = Volumes.row(UUID.randomUUID().toString(), name, pool, host, size, format, image, null);
        volumes.hold(row);
        try {
            StoreErrors.run("volume", () -> store.insertVolume(row));
            Volume made = volumes.realise(row);
            audit.record(user, "volume.create", "volume", made.id(), name + " in pool " + pool.name() + ", "
                    + made.sizeBytes() + " bytes" + (image == null ? "" : " from image " + image.name()));
            return made;
        } finally {
            volumes.release(row.id());
        }
    }

    static String format(String given) {
        if (given == null) {
            return "qcow2";
        }
        String f = given.toLowerCase(Locale.ROOT);
        if (!f.equals("qcow2") && !f.equals("raw")) {
            throw new ValidationException("format", "'" + Names.printable(given) + "' is not qcow2 or raw");
        }
        return f;
    }

    Image diskImage(String field, String ref) {
        Image image = Refs.field(field, "image", ref, store::image, store::imageByName);
        if (image.kind() != ImageKind.DISK) {
            throw new ValidationException(field, "image '" + image.name()
                    + "' is a kernel and initrd: volumes start from disk images");
        }
        return image;
    }

    /** The size asked, or the image's; never below the image's virtual size. */
    static long size(String field, Long asked, Image image) {
        Long imageSize = image == null ? null : image.virtualSizeBytes();
        if (asked == null) {
            if (image == null) {
                throw new ValidationException(field, "is required for a blank volume");
            }
            if (imageSize == null || imageSize <= 0) {
                throw new ValidationException(field, "is required: the size of image '" + image.name()
                        + "' is not known");
            }
            return imageSize;
        }
        if (asked <= 0) {
            throw new ValidationException(field, "must be greater than 0");
        }
        if (imageSize != null && asked < imageSize) {
            throw new ValidationException(field, asked + " is smaller than the " + imageSize + " bytes of image '"
                    + image.name() + "'");
        }
        return asked;
    }

    /** For host-local pools the host that holds the volume: the one given, or the UP host with most room. */
    Host hostFor(Pool pool, StorageBackend backend, String hostRef) {
        if (!backend.hostLocal()) {
            if (hostRef != null) {
                throw new ValidationException("host", "pool '" + pool.name() + "' is reached by every host of "
                        + (pool.wideArea() ? "every site" : "its site") + ": host applies to host-local pools only");
            }
            return null;
        }
        if (hostRef != null) {
            Host h = Refs.field("host", "host", hostRef, store::host, store::hostByName);
            if (!Pools.siteReaches(pool, h)) {
                throw new ValidationException("host", "host '" + h.name() + "' is not in the site of pool '"
                        + pool.name() + "'");
            }
            if (h.state() != HostState.UP) {
                throw new ConflictException("host", "host '" + h.name() + "' is " + h.state());
            }
            return h;
        }
        return volumes.pools.upHosts(pool.site()).stream()
                .max(Comparator.comparingLong(h -> free(pool, backend, h)))
                .orElseThrow(() -> new ConflictException("pool", "no host of the site of pool '" + pool.name()
                        + "' is UP"));
    }

    private static long free(Pool pool, StorageBackend backend, Host h) {
        try {
            StorageBackend.PoolStatus s = backend.status(Pools.ref(pool), Endpoints.of(h));
            return s.capacityBytes() - s.usedBytes();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Refuses a size the pool can never hold (400) or has no room for now (409), naming {@code field}. */
    static void checkRoom(Pool pool, StorageBackend backend, Host host, long size, String field) {
        if (pool.capacityBytes() > 0 && size > pool.capacityBytes()) {
            throw new ValidationException(field, size + " bytes exceed the " + pool.capacityBytes()
                    + " bytes capacity of pool '" + pool.name() + "'");
        }
        long free = pool.capacityBytes() - pool.usedBytes();
        if (pool.capacityBytes() > 0 && size > free) {
            throw new ConflictException(field, "pool '" + pool.name() + "' has " + Math.max(0, free)
                    + " bytes free, " + size + " asked");
        }
        if (host != null && backend.hostLocal()) {
            StorageBackend.PoolStatus s;
            try {
                s = backend.status(Pools.ref(pool), Endpoints.of(host));
            } catch (RuntimeException e) {
                throw Volumes.failure("reading pool '" + pool.name() + "' on host '" + host.name() + "' failed", e);
            }
            long hostFree = s.capacityBytes() - s.usedBytes();
            if (s.capacityBytes() > 0 && size > hostFree) {
                throw new ConflictException(field, "pool '" + pool.name() + "' has " + Math.max(0, hostFree)
                        + " bytes free on host '" + host.name() + "', " + size + " asked");
            }
        }
    }

    // --- read ---

    @Override
    public Volume get(String ref) {
        return Refs.path("volume", ref, store::volume, store::volumeByName);
    }

    @Override
    public Page<Volume> list(PageRequest page, String pool, String vm) {
        String poolId = pool == null ? null : Refs.field("pool", "pool", pool, store::pool, store::poolByName).id();
        String vmId = vm == null ? null : Refs.field("vm", "vm", vm, store::vm, store::vmByName).id();
        return store.volumes(page, new CloudStore.VolumeFilter(poolId, vmId, null));
    }

    // --- resize ---

    @Override
    public Volume resize(String user, String ref, Requests.VolumeResize r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Volume v = get(ref);
        StoreErrors.expectVersion("volume", r.version(), v.version());
        if (r.sizeBytes() == null) {
            throw new ValidationException("sizeBytes", "is required");
        }
        long size = r.sizeBytes();
        if (size <= 0) {
            throw new ValidationException("sizeBytes", "must be greater than 0");
        }
        if (size < v.sizeBytes()) {
            throw new ValidationException("sizeBytes", "volumes only grow: volume '" + v.name() + "' has "
                    + v.sizeBytes() + " bytes");
        }
        if (size == v.sizeBytes()) {
            return v;
        }
        settled(v);
        Pool pool = store.pool(v.pool()).orElseThrow();
        StorageBackend backend = volumes.pools.backend(pool);
        Vm vm = v.vm() == null ? null : store.vm(v.vm()).orElse(null);
        if (vm != null && !QUIET.contains(vm.state())) {
            throw new ConflictException("vm", "volume '" + v.name() + "' is a disk of vm '" + vm.name() + "', which is "
                    + vm.state() + ": stop it before resizing");
        }
        Host host = v.host() == null ? null : store.host(v.host()).orElse(null);
        checkRoom(pool, backend, host, size - v.sizeBytes(), "sizeBytes");
        return withMarks(v, vm, () -> {
            StorageBackend.VolumeRef grown;
            try {
                grown = backend.resizeVolume(Pools.ref(pool), volumes.endpoint(v), Volumes.ref(v), size);
            } catch (RuntimeException e) {
                throw Volumes.failure("resizing volume '" + v.name() + "' failed", e);
            }
            Volume current = store.volume(v.id()).orElseThrow();
            Volume updated = StoreErrors.translate("volume", () -> store.updateVolume(Volumes.placed(current,
                    current.pool(), current.host(), grown.key() == null ? current.key() : grown.key(),
                    Math.max(size, grown.sizeBytes()))));
            volumes.pools.remeasureQuietly(pool.id());
            audit.record(user, "volume.resize", "volume", v.id(), v.name() + " " + v.sizeBytes() + " -> " + size);
            return updated;
        });
    }

    private static void settled(Volume v) {
        if (v.state() != VolumeState.AVAILABLE && v.state() != VolumeState.IN_USE) {
            throw new ConflictException("state", "volume '" + v.name() + "' is " + v.state());
        }
    }

    /** Runs {@code work} with the volume (and its VM, when given) marked busy. */
    private <T> T withMarks(Volume v, Vm vm, java.util.function.Supplier<T> work) {
        if (vm != null) {
            locks.lock(vm.id(), vm.name(), "volume " + v.name());
        }
        try {
            volumes.hold(v);
            try {
                return work.get();
            } finally {
                volumes.release(v.id());
            }
        } finally {
            if (vm != null) {
                locks.unlock(vm.id());
            }
        }
    }

    // --- attach and detach ---

    @Override
    public Volume attach(String user, String ref, Requests.VolumeAttach r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Volume v = get(ref);
        Vm vm = Refs.field("vm", "vm", r.vm(), store::vm, store::vmByName);
        if (v.vm() != null) {
            String owner = store.vm(v.vm()).map(Vm::name).orElse(v.vm());
            throw new ConflictException("vm", "volume '" + v.name() + "' is attached to vm '" + owner + "' already");
        }
        if (v.state() != VolumeState.AVAILABLE) {
            throw new ConflictException("state", "volume '" + v.name() + "' is " + v.state());
        }
        quiet(vm);
        Host host = store.host(vm.host()).orElseThrow();
        String refused = volumes.unreachable(v, host);
        if (refused != null) {
            throw new ConflictException("vm", refused + ": vm '" + vm.name() + "' cannot use it");
        }
        Volume updated = change(vm, v, Volumes.with(v, VolumeState.IN_USE, vm.id()));
        audit.record(user, "volume.attach", "volume", v.id(), v.name() + " to vm " + vm.name());
        return updated;
    }

    @Override
    public Volume detach(String user, String ref) {
        Volume v = get(ref);
        if (v.vm() == null) {
            throw new ConflictException("vm", "volume '" + v.name() + "' is not attached");
        }
        Vm vm = store.vm(v.vm()).orElseThrow();
        if (v.id().equals(vm.id())) {
            throw new ConflictException("vm", "volume '" + v.name() + "' is the root disk of vm '" + vm.name()
                    + "': it goes with the vm");
        }
        quiet(vm);
        Volume updated = change(vm, v, Volumes.with(v, VolumeState.AVAILABLE, null));
        audit.record(user, "volume.detach", "volume", v.id(), v.name() + " from vm " + vm.name());
        return updated;
    }

    private static void quiet(Vm vm) {
        if (!QUIET.contains(vm.state())) {
            throw new ConflictException("vm", "vm '" + vm.name() + "' is " + vm.state()
                    + ": disks are attached and detached while it is stopped");
        }
    }

    /** Stores the volume's new attachment and redefines the VM on its host; a failure restores both. */
    private Volume change(Vm vm, Volume v, Volume changed) {
        Host host = store.host(vm.host()).orElseThrow();
        HypervisorDriver d = drivers.hypervisor(host.driver());
        HostEndpoint ep = Endpoints.of(host);
        return withMarks(v, vm, () -> {
            quiet(store.vm(vm.id()).orElseThrow());
            VmSpec before = specs.spec(vm);
            Volume updated = StoreErrors.translate("volume", () -> store.updateVolume(changed));
            try {
                VmSpecs.redefine(d, ep, before, specs.spec(vm));
            } catch (RuntimeException e) {
                store.updateVolume(Volumes.with(updated, v.state(), v.vm()));
                throw e;
            }
            return updated;
        });
    }

    // --- delete ---

    @Override
    public void delete(String user, String ref) {
        Volume v = get(ref);
        if (v.vm() != null) {
            String owner = store.vm(v.vm()).map(Vm::name).orElse(v.vm());
            throw new ConflictException("vm", "volume '" + v.name() + "' is attached to vm '" + owner
                    + "': detach it first");
        }
        if (v.state() == VolumeState.CREATING || v.state() == VolumeState.DELETING) {
            throw new ConflictException("state", "volume '" + v.name() + "' is " + v.state());
        }
        withMarks(v, null, () -> {
            volumes.remove(store.volume(v.id()).orElseThrow());
            return null;
        });
        audit.record(user, "volume.delete", "volume", v.id(), v.name());
    }
}
