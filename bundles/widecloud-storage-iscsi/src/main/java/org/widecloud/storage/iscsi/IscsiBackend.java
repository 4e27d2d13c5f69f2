package org.widecloud.storage.iscsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutors;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.spi.VmSpec;

/**
 * iSCSI volumes on a storage server running tgt: one target {@code <iqn.prefix>:<volume id>} per volume with one
 * LUN (1) backed by the raw file {@code <path>/<volume id>.img}, the pool's CHAP account bound to it, and an ACL of
 * the pool's {@code initiators} (ALL when none are given). Hypervisors attach the LUN with QEMU's user-space
 * initiator as a libvirt network disk.
 *
 * <p>tgtd keeps targets in memory only: after it restarts, {@link #restore} builds them again from the pool's
 * volumes. Target ids are per tgtd, so every change of a server's targets runs under one lock per server (executor
 * URI); a tid taken meanwhile by someone else is retried with the next free one.
 */
@Component(service = StorageBackend.class, property = StorageBackend.TYPE_PROPERTY + "=" + IscsiBackend.TYPE)
public class IscsiBackend implements StorageBackend {
    public static final String TYPE = "iscsi";
    static final String LUN = "1";
    private static final Logger LOG = LoggerFactory.getLogger(IscsiBackend.class);
    private static final Set<String> IMAGE_FORMATS = Set.of("raw", "qcow2", "vmdk");
    private static final int TID_ATTEMPTS = 8;

    private final HostExecutors executors;
    private final Map<String, ReentrantLock> serverLocks = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HostService hosts;

    @Activate
    public IscsiBackend(@Reference HostExecutors executors) {
        this.executors = executors;
    }

    /** For plain-object use (tests, other components); {@code hosts} may be null. */
    public IscsiBackend(HostExecutors executors, HostService hosts) {
        this(executors);
        this.hosts = hosts;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        IscsiParameters.parse(parameters);
    }

    @Override
    public Set<String> secretParameters() {
        return Set.of(IscsiParameters.CHAP_SECRET);
    }

    @Override
    public boolean hostLocal() {
        return false;
    }

    /**
     * Checks that tgtd answers, makes the pool's directory, (re)creates its CHAP account with the current secret and
     * exposes again every backing file {@code <volume id>.img} of the directory whose target tgtd lost (it keeps
     * targets in memory only: after a restart, opening the pool brings its volumes back). {@code host} is not
     * used: the pool lives on its server.
     */
    @Override
    public PoolStatus open(PoolRef pool, HostEndpoint host) {
        Ctx c = ctx(pool);
        c.server.checkTgtd();
        c.server.mkdirs(c.dir);
        List<String> ids = c.server.files(c.dir).stream().filter(f -> f.endsWith(".img"))
                .map(f -> f.substring(0, f.length() - 4)).filter(Names::isId).toList();
        int restored = locked(c, () -> {
            ensureAccount(c);
            TgtTargets targets = c.server.targets();
            int n = 0;
            for (String id : ids) {
                if (targets.get(c.p.targetName(id)) == null) {
                    expose(c, c.p.targetName(id), Names.backingFile(c.dir, id));
                    n++;
                }
            }
            return n;
        });
        LOG.info("iscsi: pool {} open on {} (directory {}, {} volume file(s), {} target(s) re-created)", pool.name(),
                c.p.serverExecutor(), c.dir, ids.size(), restored);
        return status(c);
    }

    @Override
    public PoolStatus status(PoolRef pool, HostEndpoint host) {
        return status(ctx(pool));
    }

    @Override
    public VolumeRef createVolume(PoolRef pool, HostEndpoint host, VolumeRequest request) {
        if (request == null) {
            throw new ValidationException("volume", "required");
        }
        Ctx c = ctx(pool);
        String name = c.p.targetName(request.volumeId());
        String file = Names.backingFile(c.dir, request.volumeId());
        // A LUN is a fixed-size raw file: qcow2 (core's default, a preference) is served as raw, and the returned
        // VolumeRef says so; anything else is refused.
        if (request.format() != null && !"raw".equals(request.format()) && !"qcow2".equals(request.format())) {
            throw new ValidationException("format", "'" + request.format() + "': iscsi volumes are raw LUNs (give "
                    + "raw or leave it out)");
        }
        long size = request.sizeBytes();
        long imageSize = -1;
        if (request.imagePath() != null) {
            checkImage(request);
            imageSize = c.server.virtualSize(request.imagePath(), request.imageFormat());
            if (size <= 0) {
                size = imageSize;
            } else if (size < imageSize) {
                throw new ValidationException("sizeBytes", size + " is smaller than the image (" + imageSize
                        + " bytes)");
            }
        } else if (size <= 0) {
            throw new ValidationException("sizeBytes", "must be more than 0 (was " + size + ")");
        }
        size = sectors(size);
        long capacity = c.server.df(c.dir)[0];
        if (size > capacity) {
            throw new ValidationException("sizeBytes", size + " bytes is more than the pool's capacity (" + capacity
                    + " bytes)");
        }
        if (c.server.fileSize(file) >= 0) {
            throw new ConflictException("volumeId", "backing file " + file + " already exists on " + c.server
                    + " (delete the volume first)");
        }
        try {
            if (imageSize >= 0) {
                c.server.convertToRaw(request.imagePath(), request.imageFormat(), file);
                if (size > imageSize) {
                    c.server.growRaw(file, size);
                }
            } else {
                c.server.createRaw(file, size);
            }
            int tid = locked(c, () -> expose(c, name, file));
            LOG.info("iscsi: pool {}: volume {} is target {} (tid {}), {} bytes", pool.name(), request.volumeId(),
                    name, tid, size);
        } catch (RuntimeException e) {
            removeQuietly(c, file);
            throw e;
        }
        return new VolumeRef(request.volumeId(), name + "/" + LUN, size, "raw");
    }

    /** Removes the target and the backing file; both may be gone already. Refused while an initiator is logged in. */
    @Override
    public void deleteVolume(PoolRef pool, HostEndpoint host, VolumeRef volume) {
        Ctx c = ctx(pool);
        String name = c.p.targetName(volume.volumeId());
        String file = Names.backingFile(c.dir, volume.volumeId());
        locked(c, () -> {
            TgtTargets.Target t = c.server.targets().get(name);
            if (t != null) {
                refuseInUse(t, "deleted");
                c.server.deleteTarget(t.tid());
            }
            return null;
        });
        c.server.remove(file);
        LOG.info("iscsi: pool {}: volume {} deleted (target {}, file {})", pool.name(), volume.volumeId(), name, file);
    }

    /**
     * Grows the file, then replaces the LUN so that tgtd reads the new size (it has no online resize). Refused
     * while an initiator is logged in: replacing the LUN under a running guest would fail its I/O.
     */
    @Override
    public VolumeRef resizeVolume(PoolRef pool, HostEndpoint host, VolumeRef volume, long sizeBytes) {
        Ctx c = ctx(pool);
        String name = c.p.targetName(volume.volumeId());
        String file = Names.backingFile(c.dir, volume.volumeId());
        if (sizeBytes <= 0) {
            throw new ValidationException("sizeBytes", "must be more than 0 (was " + sizeBytes + ")");
        }
        long size = sectors(sizeBytes);
        long current = c.server.fileSize(file);
        if (current < 0) {
            throw new DriverException(c.server + ": backing file " + file + " of volume " + volume.volumeId()
                    + " is missing", null);
        }
        if (size < current) {
            throw new ValidationException("sizeBytes", size + " is smaller than the volume (" + current
                    + " bytes): volumes only grow");
        }
        long capacity = c.server.df(c.dir)[0];
        if (size > capacity) {
            throw new ValidationException("sizeBytes", size + " bytes is more than the pool's capacity (" + capacity
                    + " bytes)");
        }
        locked(c, () -> {
            TgtTargets.Target t = c.server.targets().get(name);
            if (t != null) {
                refuseInUse(t, "resized");
            }
            c.server.growRaw(file, size);
            if (t == null) {
                expose(c, name, file);
            } else {
                c.server.deleteLun(t.tid());
                c.server.newLun(t.tid(), file);
            }
            return null;
        });
        LOG.info("iscsi: pool {}: volume {} grown to {} bytes", pool.name(), volume.volumeId(), size);
        return new VolumeRef(volume.volumeId(), name + "/" + LUN, size, "raw");
    }

    @Override
    public VmSpec.Disk attachInfo(PoolRef pool, VolumeRef volume, HostEndpoint host) {
        IscsiParameters p = IscsiParameters.parse(pool.parameters());
        return VmSpec.Disk.iscsi(p.targetName(volume.volumeId()) + "/" + LUN, List.of(p.portal()),
                new VmSpec.Auth(p.chapUser(), p.chapSecret(), IscsiParameters.secretUsage(pool.poolId())));
    }

    /**
     * A wide-area pool reaches every host, a site's pool the hosts of that site (looked up in core's HostService);
     * with {@code initiators} given, only hosts whose address the ACL admits (tgtd would refuse the others' logins).
     */
    @Override
    public boolean reachableFrom(PoolRef pool, HostEndpoint host) {
        IscsiParameters p = IscsiParameters.parse(pool.parameters());
        if (!p.initiators().isEmpty() && (host == null || !Initiators.admits(p.initiators(), host.address()))) {
            return false;
        }
        if (pool.siteId() == null) {
            return true;
        }
        HostService hs = hosts;
        if (hs == null || host == null || host.hostId() == null) {
            LOG.warn("iscsi: pool {}: cannot tell the site of host {} (no HostService): not reachable", pool.name(),
                    host == null ? null : host.hostName());
            return false;
        }
        Host h = hs.get(host.hostId());
        return pool.siteId().equals(h.site());
    }

    /**
     * After tgtd restarted (it keeps targets in memory only), with the volumes core knows: opens the pool (which
     * exposes the directory's backing files again) and makes sure each of these volumes has its file and target.
     * Fails after trying all of them, naming each that could not be restored (a missing backing file).
     */
    public void restore(PoolRef pool, List<VolumeRef> volumes) {
        open(pool, null);
        Ctx c = ctx(pool);
        List<String> failures = new ArrayList<>();
        for (VolumeRef v : volumes == null ? List.<VolumeRef>of() : volumes) {
            try {
                String name = c.p.targetName(v.volumeId());
                String file = Names.backingFile(c.dir, v.volumeId());
                if (c.server.fileSize(file) < 0) {
                    failures.add(v.volumeId() + ": backing file " + file + " is missing");
                    continue;
                }
                locked(c, () -> expose(c, name, file));
            } catch (RuntimeException e) {
                failures.add(v.volumeId() + ": " + e.getMessage());
            }
        }
        LOG.info("iscsi: pool {}: {} volume(s) checked, {} cannot be restored", pool.name(),
                volumes == null ? 0 : volumes.size(), failures.size());
        if (!failures.isEmpty()) {
            throw new DriverException("iscsi pool " + pool.name() + ": cannot restore " + String.join("; ", failures),
                    null);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A pool's parsed parameters, directory and server. */
    private record Ctx(String poolId, IscsiParameters p, String dir, StorageServer server) {
    }

    private Ctx ctx(PoolRef pool) {
        if (pool == null) {
            throw new ValidationException("pool", "required");
        }
        IscsiParameters p = IscsiParameters.parse(pool.parameters());
        String dir = p.directory(pool.poolId());
        HostEndpoint server = new HostEndpoint(null, "storage server of pool " + pool.name(), null, null,
                p.serverExecutor());
        return new Ctx(pool.poolId(), p, dir, new StorageServer(executors.forHost(server),
                "iscsi pool " + pool.name() + " (server " + p.serverExecutor() + ")"));
    }

    private <T> T locked(Ctx c, java.util.function.Supplier<T> work) {
        ReentrantLock lock = serverLocks.computeIfAbsent(c.p.serverExecutor(), k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes target {@code name} exist with LUN 1 on {@code file}, the pool's account bound, then its ACL (in this
     * order: a target without ACL admits nobody, so it is never open without CHAP). Idempotent. Returns the tid.
     */
    private int expose(Ctx c, String name, String file) {
        TgtTargets targets = c.server.targets();
        TgtTargets.Target existing = targets.get(name);
        int tid;
        boolean created = false;
        if (existing != null) {
            tid = existing.tid();
        } else {
            tid = -1;
            for (int attempt = 0; attempt < TID_ATTEMPTS && tid < 0; attempt++) {
                int candidate = targets.freeTid();
                if (c.server.newTarget(candidate, name)) {
                    tid = candidate;
                } else {
                    targets = c.server.targets(); // someone else took it: read again
                }
            }
            if (tid < 0) {
                throw new DriverException(c.server + ": no free target id after " + TID_ATTEMPTS + " attempts", null);
            }
            created = true;
        }
        try {
            if (existing == null || !existing.backingFiles().contains(file)) {
                c.server.newLun(tid, file);
            }
            if (existing == null || !existing.accounts().contains(c.p.chapUser())) {
                c.server.bindAccount(tid, c.p.chapUser());
            }
            List<String> acl = c.p.initiators().isEmpty() ? List.of("ALL") : c.p.initiators();
            for (String a : acl) {
                if (existing == null || !existing.acl().contains(a)) {
                    c.server.bindInitiator(tid, a);
                }
            }
        } catch (RuntimeException e) {
            if (created) {
                try {
                    c.server.deleteTarget(tid);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        return tid;
    }

    /**
     * The pool's account exists with the current secret and is bound to the pool's targets. tgtd cannot change a
     * password: an account is deleted and created again, but only while none of the pool's targets has it bound,
     * because a target without account admits initiators without CHAP. Bound means the pool has volumes, and core
     * changes parameters (the secret) only while it has none: then the account already holds the current secret.
     * An account of the same name bound to another pool's targets is refused: tgtd has one account list, and
     * replacing its secret would lock that pool's initiators out.
     */
    private void ensureAccount(Ctx c) {
        TgtTargets targets = c.server.targets();
        String user = c.p.chapUser();
        List<String> foreign = new ArrayList<>();
        List<TgtTargets.Target> ours = new ArrayList<>();
        for (TgtTargets.Target t : targets.byName().values()) {
            boolean mine = t.backingFiles().stream().anyMatch(f -> Names.inside(c.dir, f));
            if (mine) {
                ours.add(t);
            } else if (t.accounts().contains(user)) {
                foreign.add(t.name());
            }
        }
        if (!foreign.isEmpty()) {
            throw new ConflictException("parameters." + IscsiParameters.CHAP_USER, "CHAP user '" + user + "' is "
                    + "already bound to targets of another pool on " + c.server + " (" + String.join(", ", foreign)
                    + "): give each pool its own user");
        }
        boolean inUse = ours.stream().anyMatch(t -> t.accounts().contains(user));
        if (!inUse) {
            if (c.server.accounts().contains(user)) {
                c.server.deleteAccount(user);
            }
            c.server.newAccount(user, c.p.chapSecret());
        }
        for (TgtTargets.Target t : ours) {
            if (!t.accounts().contains(user)) {
                c.server.bindAccount(t.tid(), user);
            }
        }
    }

    private static void refuseInUse(TgtTargets.Target t, String what) {
        if (t.sessions() > 0) {
            throw new ConflictException("volume", "target " + t.name() + " has " + t.sessions() + " initiator "
                    + "session(s) (a running VM uses it): it cannot be " + what + " now");
        }
    }

    private static PoolStatus status(Ctx c) {
        long[] df = c.server.df(c.dir);
        return new PoolStatus(df[0], df[1]);
    }

    private static void checkImage(VolumeRequest r) {
        String path = r.imagePath();
        if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.indexOf('\0') >= 0) {
            throw new ValidationException("imagePath", "'" + path + "' is not a normal absolute path");
        }
        if (r.imageFormat() == null || !IMAGE_FORMATS.contains(r.imageFormat())) {
            throw new ValidationException("imageFormat", "'" + r.imageFormat() + "' is not raw, qcow2 or vmdk");
        }
    }

    /** Whole 512-byte sectors: tgt shows a LUN in whole blocks, so the size reported is the size seen. */
    private static long sectors(long size) {
        if (size > Long.MAX_VALUE - 511) {
            throw new ValidationException("sizeBytes", "too large");
        }
        return (size + 511) / 512 * 512;
    }

    private static void removeQuietly(Ctx c, String file) {
        try {
            c.server.remove(file);
        } catch (RuntimeException e) {
            LOG.warn("iscsi: cannot remove {} after a failed create: {}", file, e.getMessage());
        }
    }
}
