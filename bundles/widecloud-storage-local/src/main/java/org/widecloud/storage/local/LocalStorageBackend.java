package org.widecloud.storage.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.LibvirtStoragePools;
import org.widecloud.driver.libvirt.LibvirtStoragePools.PoolInfo;
import org.widecloud.driver.libvirt.LibvirtStoragePools.VolumeInfo;

/**
 * Local storage ({@code storage=local}): on each host of the pool's site a libvirt {@code dir} pool named
 * {@code wc-<pool id prefix>} at the pool's {@code path}, reached through the host's hypervisor URI. A volume is a
 * file named after its widecloud id; one made from an image is a qcow2 overlay on a base volume, the image copied
 * into the pool once per host ({@code base-<digest of the image file>}) and removed again with its last overlay
 * (a raw volume from an image is a full copy of that base).
 * Volumes live on one host ({@link #hostLocal()}): a VM using one runs there, and migrating it copies the disk.
 */
@Component(service = StorageBackend.class, property = StorageBackend.TYPE_PROPERTY + "=" + LocalStorageBackend.TYPE)
public class LocalStorageBackend implements StorageBackend {
    public static final String TYPE = "local";
    static final String BASE_PREFIX = "base-";
    private static final Logger LOG = LoggerFactory.getLogger(LocalStorageBackend.class);
    /** widecloud ids (UUIDs); anything else never becomes a file name. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{7,63}");
    private static final Set<String> FORMATS = Set.of("qcow2", "raw");

    private final LibvirtStoragePools libvirt;
    /** Base volumes are made and removed under their pool's lock on a host, so no overlay loses its base. */
    private final Map<String, Object> baseLocks = new ConcurrentHashMap<>();

    public LocalStorageBackend() {
        this(new LibvirtStoragePools());
    }

    LocalStorageBackend(LibvirtStoragePools libvirt) {
        this.libvirt = libvirt;
    }

    @Deactivate
    void deactivate() {
        libvirt.close();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        LocalParameters.validate(parameters == null ? Map.of() : parameters);
    }

    @Override
    public boolean hostLocal() {
        return true;
    }

    /**
     * Defines, builds, starts and autostarts the host's dir pool (idempotent). Without an explicit {@code path}, a
     * pool already on the host keeps its directory, so renaming the widecloud pool moves no files. A new explicit
     * {@code path} moves an empty pool (the old directory stays: it may hold other files); a pool with volumes is
     * refused.
     */
    @Override
    public PoolStatus open(PoolRef pool, HostEndpoint host) {
        requireHost(host);
        String name = libvirtPool(pool);
        LocalParameters p = LocalParameters.of(pool.name(), pool.parameters());
        String path = p.path();
        if (libvirt.poolExists(host, name)) {
            String existing = libvirt.pool(host, name).path();
            if (!p.explicitPath()) {
                path = existing;
            } else if (!existing.equals(path) && libvirt.volumes(host, name).isEmpty()) {
                LOG.info("pool {} ({}) on {} moves from {} to {}", pool.name(), name, host.hostName(), existing, path);
                libvirt.removePool(host, name, false);
            }
        }
        PoolInfo info = libvirt.openDirPool(host, name, path);
        LOG.debug("pool {} ({}) open on {} at {}", pool.name(), name, host.hostName(), info.path());
        return new PoolStatus(info.capacityBytes(), info.allocationBytes());
    }

    /**
     * The pool is gone from widecloud (core deletes only empty pools): its libvirt pool is stopped and undefined on
     * the host; the directory stays, as libvirt's own pool-undefine leaves it (it may hold an operator's files).
     */
    @Override
    public void close(PoolRef pool, HostEndpoint host) {
        requireHost(host);
        libvirt.removePool(host, libvirtPool(pool), false);
    }

    /** The file system's figures under the pool's directory on the host (opening the pool there if needed). */
    @Override
    public PoolStatus status(PoolRef pool, HostEndpoint host) {
        requireHost(host);
        String name = libvirtPool(pool);
        if (!libvirt.poolExists(host, name)) {
            return open(pool, host);
        }
        PoolInfo info = libvirt.pool(host, name);
        return new PoolStatus(info.capacityBytes(), info.allocationBytes());
    }

    @Override
    public VolumeRef createVolume(PoolRef pool, HostEndpoint host, VolumeRequest request) {
        requireHost(host);
        if (request == null) {
            throw new ValidationException("volume", "is required");
        }
        String name = volumeName(request.volumeId());
        String format = request.format() == null ? "qcow2" : request.format();
        if (!FORMATS.contains(format)) {
            throw new ValidationException("format", "'" + format + "' is not a volume format of storage 'local' "
                    + "(qcow2, raw)");
        }
        if (request.sizeBytes() < 0 || request.sizeBytes() == 0 && request.imagePath() == null) {
            throw new ValidationException("sizeBytes", "must be positive, was " + request.sizeBytes());
        }
        String lvPool = libvirtPool(pool);
        if (request.imagePath() == null) {
            VolumeInfo v = libvirt.createVolume(host, lvPool, name, request.sizeBytes(), format);
            return ref(request.volumeId(), v);
        }
        Path image = imagePath(request.imagePath());
        String base = baseName(image);
        synchronized (lock(host, lvPool)) {
            VolumeInfo b = libvirt.importFile(host, lvPool, base, image, request.imageFormat());
            // Never smaller than the image: a guest's file system must fit (core records the larger size).
            long size = Math.max(request.sizeBytes(), b.capacityBytes());
            boolean overlay = "qcow2".equals(format);
            VolumeInfo v;
            try {
                v = overlay ? libvirt.createOverlay(host, lvPool, name, size, base)
                        : libvirt.copyVolume(host, lvPool, name, base, size, format);
            } finally {
                removeUnusedBase(host, lvPool, b.path()); // a raw copy needs no base; a failed volume neither
            }
            LOG.info("volume {} on {}: {} of {} bytes from {}", name, host.hostName(),
                    overlay ? "qcow2 overlay" : format + " copy", size, b.path());
            return ref(request.volumeId(), v);
        }
    }

    /** Deletes the volume's file (no error when it is gone), and its base when no other overlay uses it. */
    @Override
    public void deleteVolume(PoolRef pool, HostEndpoint host, VolumeRef volume) {
        requireHost(host);
        String name = volumeName(volume.volumeId());
        String lvPool = libvirtPool(pool);
        synchronized (lock(host, lvPool)) {
            VolumeInfo v = libvirt.volume(host, lvPool, name).orElse(null);
            if (v == null) {
                return;
            }
            requireKey(volume, v);
            libvirt.deleteVolume(host, lvPool, name);
            if (v.backingPath() != null) {
                removeUnusedBase(host, lvPool, v.backingPath());
            }
        }
    }

    /** Called under the pool's lock. */
    private void removeUnusedBase(HostEndpoint host, String lvPool, String basePath) {
        String base = Path.of(basePath).getFileName().toString();
        if (base.startsWith(BASE_PREFIX)
                && libvirt.volumes(host, lvPool).stream().noneMatch(o -> basePath.equals(o.backingPath()))) {
            libvirt.deleteVolume(host, lvPool, base);
            LOG.info("base {} on {} removed with its last overlay", basePath, host.hostName());
        }
    }

    @Override
    public VolumeRef resizeVolume(PoolRef pool, HostEndpoint host, VolumeRef volume, long sizeBytes) {
        requireHost(host);
        if (sizeBytes <= 0) {
            throw new ValidationException("sizeBytes", "must be positive, was " + sizeBytes);
        }
        String name = volumeName(volume.volumeId());
        String lvPool = libvirtPool(pool);
        requireKey(volume, existing(host, lvPool, name));
        return ref(volume.volumeId(), libvirt.resizeVolume(host, lvPool, name, sizeBytes));
    }

    /** The volume's file on the host, as libvirt reports it (checked to be in the pool's directory). */
    @Override
    public VmSpec.Disk attachInfo(PoolRef pool, VolumeRef volume, HostEndpoint host) {
        requireHost(host);
        VolumeInfo v = existing(host, libvirtPool(pool), volumeName(volume.volumeId()));
        requireKey(volume, v);
        return VmSpec.Disk.file(v.path(), v.format(), false);
    }

    /** Any host with a hypervisor URI can hold the pool; its volumes stay on the host that made them. */
    @Override
    public boolean reachableFrom(PoolRef pool, HostEndpoint host) {
        return host != null && host.uri() != null && !host.uri().isBlank();
    }

    /** {@code wc-} and the pool id's first 8 characters: short, stable across renames, never the user's name. */
    static String libvirtPool(PoolRef pool) {
        if (pool == null || pool.poolId() == null || !ID.matcher(pool.poolId()).matches()) {
            throw new ValidationException("pool", "'" + (pool == null ? null : pool.poolId())
                    + "' is not a pool id");
        }
        return "wc-" + pool.poolId().substring(0, 8);
    }

    static String volumeName(String volumeId) {
        if (volumeId == null || !ID.matcher(volumeId).matches()) {
            throw new ValidationException("volumeId", "'" + volumeId + "' is not a volume id");
        }
        return volumeId;
    }

    /**
     * The base volume of an image file: a digest of its path, size and modification time, so that a file replaced
     * at the same path gets a new base while overlays on the old one keep theirs. Where the file is not readable
     * here (it lives on the hosts only), the path alone.
     */
    static String baseName(Path image) {
        String identity = image.toString();
        try {
            BasicFileAttributes a = Files.readAttributes(image, BasicFileAttributes.class);
            identity += "\n" + a.size() + "\n" + a.lastModifiedTime().toMillis();
        } catch (IOException notHere) {
            // the host may still have it: libvirt copies it there when it is a volume of the host
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return BASE_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static Path imagePath(String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("image", "'" + path + "' is not an absolute path");
        }
        return Path.of(path).normalize();
    }

    private VolumeInfo existing(HostEndpoint host, String lvPool, String name) {
        return libvirt.volume(host, lvPool, name).orElseThrow(() -> new DriverException("volume " + name
                + " is missing from pool " + lvPool + " on " + host.hostName(), null));
    }

    /** A record whose key is not the file libvirt has for its id is not this pool's volume: touch nothing. */
    private static void requireKey(VolumeRef volume, VolumeInfo v) {
        if (volume.key() != null && !volume.key().equals(v.path())) {
            throw new DriverException("volume " + volume.volumeId() + ": its key " + volume.key()
                    + " is not the pool's file " + v.path(), null);
        }
    }

    private static VolumeRef ref(String volumeId, VolumeInfo v) {
        return new VolumeRef(volumeId, v.path(), v.capacityBytes(), v.format());
    }

    private Object lock(HostEndpoint host, String lvPool) {
        return baseLocks.computeIfAbsent(host.uri() + "\n" + lvPool, k -> new Object());
    }

    private static void requireHost(HostEndpoint host) {
        if (host == null || host.uri() == null || host.uri().isBlank()) {
            throw new DriverException("host: storage 'local' keeps volumes on a host; none was given", null);
        }
    }
}
