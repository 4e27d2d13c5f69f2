package org.widecloud.driver.libvirt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.libvirt.StorageVol;
import org.libvirt.StorageVolInfo;
import org.libvirt.Stream;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.driver.libvirt.internal.HostConnection;
import org.widecloud.driver.libvirt.internal.Libvirt;
import org.widecloud.driver.libvirt.internal.StorageXml;

/**
 * libvirt directory pools and their file volumes on hosts, for storage backends. One connection per host URI
 * (opened on first use, reopened once when found dead), like {@link LibvirtDriver}'s but of its own; owners call
 * {@link #close()} when they go away. libvirt-java stays inside: arguments and results are plain values.
 *
 * <p>Names are checked to be plain file names and paths to be absolute and normalised; every volume path libvirt
 * reports is checked to lie directly in its pool's directory. Errors are {@link DriverException}s whose message
 * starts with the field at fault, or says what failed where with libvirt's own message.
 */
public final class LibvirtStoragePools implements AutoCloseable {
    /** A pool or volume name: a plain file name, no '/', not '.' or '..'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}");
    private static final Set<String> FORMATS = Set.of("raw", "qcow2");
    private static final Set<String> IMAGE_FORMATS = Set.of("raw", "qcow2", "vmdk", "vdi", "vpc", "vhdx", "qed");
    private static final int UPLOAD_CHUNK = 256 * 1024;
    private static final String PART = ".part";
    /** "QFI\xfb" */
    private static final int QCOW2_MAGIC = 0x514649fb;

    private final Map<String, HostConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Object> importLocks = new ConcurrentHashMap<>();

    /** A pool as libvirt reports it: target directory, whether it runs and starts with libvirtd, sizes. */
    public record PoolInfo(String name, String path, boolean active, boolean autostart, long capacityBytes,
            long allocationBytes, long availableBytes) {
    }

    /**
     * A volume: its file, format, virtual size ({@code capacityBytes}), bytes used on disk, and its backing file
     * (null when it has none).
     */
    public record VolumeInfo(String name, String path, String format, long capacityBytes, long allocationBytes,
            String backingPath, String backingFormat) {
    }

    /**
     * Makes the directory pool {@code name} at {@code path} exist, built, running and autostarted on the host
     * (idempotent). An existing pool of that name elsewhere, or of another type, is refused.
     */
    public PoolInfo openDirPool(HostEndpoint host, String name, String path) {
        requireName("pool", name);
        requirePath("path", path);
        return run(host, "open pool '" + name + "'", conn -> {
            StoragePool pool = lookupPool(conn, name);
            if (pool == null) {
                pool = conn.storagePoolDefineXML(StorageXml.dirPool(name, path), 0);
            } else {
                String xml = pool.getXMLDesc(0);
                String type = StorageXml.attribute(xml, "type");
                String target = StorageXml.read(xml, "target", "path");
                if (!"dir".equals(type) || !path.equals(target)) {
                    throw new DriverException("pool: '" + name + "' exists on " + LibvirtDriver.where(host)
                            + " as a " + type + " pool at " + target + ", not a dir pool at " + path, null);
                }
            }
            if (pool.isActive() != 1) {
                pool.build(0); // creates the directory (and its parents); harmless when it exists
                pool.create(0);
            }
            if (!pool.getAutostart()) {
                pool.setAutostart(1);
            }
            return info(pool);
        });
    }

    /** The pool's current state, after a refresh (files changed behind libvirt's back are seen). */
    public PoolInfo pool(HostEndpoint host, String name) {
        requireName("pool", name);
        return run(host, "read pool '" + name + "'", conn -> {
            StoragePool pool = requirePool(conn, host, name);
            refresh(pool);
            return info(pool);
        });
    }

    /** Whether the host has a pool of that name. */
    public boolean poolExists(HostEndpoint host, String name) {
        requireName("pool", name);
        return run(host, "look up pool '" + name + "'", conn -> lookupPool(conn, name) != null);
    }

    /**
     * Stops and undefines the pool; with {@code deleteDirectory} also removes its directory, which must then be
     * empty (volumes are never deleted here). No error when the pool does not exist.
     */
    public void removePool(HostEndpoint host, String name, boolean deleteDirectory) {
        requireName("pool", name);
        run(host, "remove pool '" + name + "'", conn -> {
            StoragePool pool = lookupPool(conn, name);
            if (pool == null) {
                return null;
            }
            if (pool.isActive() == 1) {
                pool.destroy();
            }
            if (deleteDirectory) {
                pool.delete(0);
            }
            pool.undefine();
            return null;
        });
    }

    /** Every volume of the pool (after a refresh). */
    public List<VolumeInfo> volumes(HostEndpoint host, String pool) {
        requireName("pool", pool);
        return run(host, "list volumes of pool '" + pool + "'", conn -> {
            StoragePool p = requirePool(conn, host, pool);
            refresh(p);
            String dir = poolPath(p);
            List<VolumeInfo> out = new ArrayList<>();
            for (String name : p.listVolumes()) {
                StorageVol v = lookupVolume(p, name);
                if (v != null) {
                    out.add(info(v, dir));
                }
            }
            return out;
        });
    }

    /** The volume, or empty when the pool has none of that name. */
    public Optional<VolumeInfo> volume(HostEndpoint host, String pool, String name) {
        requireName("pool", pool);
        requireName("volume", name);
        return run(host, "read volume '" + name + "' in pool '" + pool + "'", conn -> {
            StoragePool p = requirePool(conn, host, pool);
            StorageVol v = lookupVolume(p, name);
            return v == null ? Optional.empty() : Optional.of(info(v, poolPath(p)));
        });
    }

    /** A new blank (sparse) volume of {@code capacityBytes} in {@code format} (raw or qcow2). */
    public VolumeInfo createVolume(HostEndpoint host, String pool, String name, long capacityBytes, String format) {
        requireName("pool", pool);
        requireName("volume", name);
        requireCapacity(capacityBytes);
        if (format == null || !FORMATS.contains(format)) {
            throw invalid("format", "'" + format + "' is not a volume format (raw, qcow2)");
        }
        return create(host, pool, name, StorageXml.volume(name, capacityBytes, format, null, null));
    }

    /**
     * A new qcow2 volume of {@code capacityBytes} whose backing file is the volume {@code backing} of the same pool
     * (copy-on-write: the backing volume is only read). The capacity must not be below the backing volume's.
     */
    public VolumeInfo createOverlay(HostEndpoint host, String pool, String name, long capacityBytes, String backing) {
        requireName("pool", pool);
        requireName("volume", name);
        requireName("backing", backing);
        requireCapacity(capacityBytes);
        VolumeInfo base = volume(host, pool, backing).orElseThrow(() -> invalid("backing",
                "no volume '" + backing + "' in pool '" + pool + "' on " + LibvirtDriver.where(host)));
        if (capacityBytes < base.capacityBytes()) {
            throw invalid("capacity", capacityBytes + " bytes is less than the backing volume's "
                    + base.capacityBytes() + " bytes");
        }
        return create(host, pool, name, StorageXml.volume(name, capacityBytes, "qcow2", base.path(), base.format()));
    }

    /**
     * A new volume of {@code capacityBytes} in {@code format} holding a full copy of the volume {@code source} of the
     * same pool (converted by libvirt with qemu-img), grown to the capacity when the source is smaller.
     */
    public VolumeInfo copyVolume(HostEndpoint host, String pool, String name, String source, long capacityBytes,
            String format) {
        requireName("pool", pool);
        requireName("volume", name);
        requireName("source", source);
        requireCapacity(capacityBytes);
        if (format == null || !FORMATS.contains(format)) {
            throw invalid("format", "'" + format + "' is not a volume format (raw, qcow2)");
        }
        return run(host, "copy volume '" + source + "' to '" + name + "' in pool '" + pool + "'", conn -> {
            StoragePool p = requirePool(conn, host, pool);
            StorageVol from = requireVolume(p, host, pool, source);
            if (lookupVolume(p, name) != null) {
                throw new DriverException("volume: '" + name + "' exists already in pool '" + pool + "' on "
                        + LibvirtDriver.where(host), null);
            }
            if (capacityBytes < from.getInfo().capacity) {
                throw invalid("capacity", capacityBytes + " bytes is less than the source's "
                        + from.getInfo().capacity + " bytes");
            }
            String dir = poolPath(p);
            StorageVol v = p.storageVolCreateXMLFrom(StorageXml.volume(name, capacityBytes, format, null, null), from,
                    0);
            VolumeInfo made = checked(v, dir);
            if (made.capacityBytes() < capacityBytes) {
                try {
                    v.resize(capacityBytes, 0); // libvirt copies at the source's size
                } catch (LibvirtException e) {
                    v.delete(0);
                    throw e;
                }
                made = info(v, dir);
            }
            return made;
        });
    }

    /**
     * Copies an image file into the pool as the volume {@code name} in the image's {@code format}, once: an
     * existing volume of that name is returned as it is. When the file is itself a libvirt volume on the host,
     * libvirt copies it there; otherwise the file, read on this (the controller's) machine, is streamed to the
     * host with {@code virStorageVolUpload}. The copy lands under a {@code .part} name first and becomes
     * {@code name} only when complete, so an interrupted import never leaves a truncated volume behind.
     */
    public VolumeInfo importFile(HostEndpoint host, String pool, String name, Path file, String format) {
        requireName("pool", pool);
        requireName("volume", name);
        if (file == null || !file.isAbsolute()) {
            throw invalid("file", "'" + file + "' is not an absolute path");
        }
        if (format == null || !IMAGE_FORMATS.contains(format)) {
            throw invalid("format", "'" + format + "' is not an image format " + IMAGE_FORMATS);
        }
        synchronized (importLocks.computeIfAbsent(host.uri() + "\n" + pool + "\n" + name, k -> new Object())) {
            Optional<VolumeInfo> existing = volume(host, pool, name);
            if (existing.isPresent()) {
                return existing.get();
            }
            return run(host, "import " + file + " into pool '" + pool + "' as '" + name + "'", conn -> {
                StoragePool p = requirePool(conn, host, pool);
                String dir = poolPath(p);
                StorageVol source = lookupByPath(conn, file.toString());
                if (source == null) {
                    source = "TEST".equalsIgnoreCase(conn.getType()) ? placeholder(p, name + PART, file, format)
                            : upload(conn, p, name + PART, file, format);
                }
                try {
                    StorageVol v = p.storageVolCreateXMLFrom(StorageXml.volume(name, source.getInfo().capacity,
                            format, null, null), source, 0);
                    return checked(v, dir);
                } finally {
                    StorageVol part = lookupVolume(p, name + PART);
                    if (part != null) {
                        part.delete(0);
                    }
                }
            });
        }
    }

    /** Grows (or, where the format allows, shrinks) the volume to {@code capacityBytes}. */
    public VolumeInfo resizeVolume(HostEndpoint host, String pool, String name, long capacityBytes) {
        requireName("pool", pool);
        requireName("volume", name);
        requireCapacity(capacityBytes);
        return run(host, "resize volume '" + name + "' in pool '" + pool + "'", conn -> {
            StoragePool p = requirePool(conn, host, pool);
            StorageVol v = requireVolume(p, host, pool, name);
            v.resize(capacityBytes, 0);
            return info(v, poolPath(p));
        });
    }

    /** Deletes the volume's file; false when there was no such volume. */
    public boolean deleteVolume(HostEndpoint host, String pool, String name) {
        requireName("pool", pool);
        requireName("volume", name);
        return run(host, "delete volume '" + name + "' in pool '" + pool + "'", conn -> {
            StoragePool p = requirePool(conn, host, pool);
            StorageVol v = lookupVolume(p, name);
            if (v == null) {
                return false;
            }
            info(v, poolPath(p)); // never delete a file outside the pool's directory
            v.delete(0);
            return true;
        });
    }

    /** Closes the host's connection; the next call opens a new one. */
    public void disconnect(HostEndpoint host) {
        HostConnection c = connections.remove(host.uri());
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        connections.values().forEach(HostConnection::close);
        connections.clear();
    }

    private VolumeInfo create(HostEndpoint host, String pool, String name, String xml) {
        return run(host, "create volume '" + name + "' in pool '" + pool + "'", conn -> {
            StoragePool p = requirePool(conn, host, pool);
            if (lookupVolume(p, name) != null) {
                throw new DriverException("volume: '" + name + "' exists already in pool '" + pool + "' on "
                        + LibvirtDriver.where(host), null);
            }
            return checked(p.storageVolCreateXML(xml, 0), poolPath(p));
        });
    }

    /** The new volume's info, or the volume deleted again when libvirt put it outside the pool's directory. */
    private static VolumeInfo checked(StorageVol v, String dir) throws LibvirtException {
        try {
            return info(v, dir);
        } catch (DriverException outside) {
            v.delete(0);
            throw outside;
        }
    }

    private static StorageVol upload(Connect conn, StoragePool pool, String name, Path file, String format)
            throws LibvirtException {
        StorageVol stale = lookupVolume(pool, name);
        if (stale != null) {
            stale.delete(0); // left by an interrupted import
        }
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw invalid("file", "cannot read " + file + ": " + e.getMessage());
        }
        StorageVol vol = pool.storageVolCreateXML(StorageXml.volume(name, Math.max(length, 1), format, null, null),
                0);
        Stream stream = conn.streamNew(0);
        boolean done = false;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            vol.upload(stream, 0, length, 0);
            ByteBuffer buffer = ByteBuffer.allocateDirect(UPLOAD_CHUNK);
            while (in.read(buffer) >= 0 || buffer.position() > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    stream.write(buffer);
                    // libvirt reads from the buffer's start: keep the unsent rest there
                    buffer.compact().flip();
                }
                buffer.clear();
            }
            stream.finish();
            done = true;
            return vol;
        } catch (IOException e) {
            throw new DriverException("upload of " + file + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                abort(stream);
                vol.delete(0);
            }
            stream.free();
        }
    }

    /**
     * libvirt's test hypervisor keeps no data and cannot upload: there the copy is a volume of the image's virtual
     * size, so that backends and core can be tested with real image files on it.
     */
    private static StorageVol placeholder(StoragePool pool, String name, Path file, String format)
            throws LibvirtException {
        StorageVol stale = lookupVolume(pool, name);
        if (stale != null) {
            stale.delete(0);
        }
        return pool.storageVolCreateXML(StorageXml.volume(name, virtualSize(file, format), format, null, null), 0);
    }

    /** A qcow2 file's virtual size from its header (big-endian size at byte 24), else the file's length. */
    static long virtualSize(Path file, String format) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(32);
            while (header.hasRemaining() && in.read(header) >= 0) {
                // read the whole header
            }
            if ("qcow2".equals(format) && header.position() == 32 && header.getInt(0) == QCOW2_MAGIC) {
                return header.getLong(24);
            }
            return Math.max(in.size(), 1);
        } catch (IOException e) {
            throw invalid("file", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void abort(Stream stream) {
        try {
            stream.abort();
        } catch (LibvirtException ignored) {
            // the stream failed already; libvirt's own error is the one reported
        }
    }

    private static void refresh(StoragePool pool) throws LibvirtException {
        try {
            pool.refresh(0);
        } catch (LibvirtException e) {
            // "pool has asynchronous jobs running" (a volume being built): the last refresh's figures do
            if (!Libvirt.operationInvalid(e)) {
                throw e;
            }
        }
    }

    private static PoolInfo info(StoragePool pool) throws LibvirtException {
        StoragePoolInfo i = pool.getInfo();
        return new PoolInfo(pool.getName(), poolPath(pool), pool.isActive() == 1, pool.getAutostart(), i.capacity,
                i.allocation, i.available);
    }

    private static VolumeInfo info(StorageVol v, String dir) throws LibvirtException {
        String xml = v.getXMLDesc(0);
        String path = v.getPath();
        if (path == null || !Path.of(dir).equals(Path.of(path).normalize().getParent())) {
            throw new DriverException("volume: '" + v.getName() + "' is at " + path + ", outside its pool's "
                    + "directory " + dir, null);
        }
        StorageVolInfo i = v.getInfo();
        return new VolumeInfo(v.getName(), path, StorageXml.attribute(xml, "type", "target", "format"), i.capacity,
                i.allocation, StorageXml.read(xml, "backingStore", "path"),
                StorageXml.attribute(xml, "type", "backingStore", "format"));
    }

    private static String poolPath(StoragePool pool) throws LibvirtException {
        return StorageXml.read(pool.getXMLDesc(0), "target", "path");
    }

    private static StoragePool lookupPool(Connect conn, String name) throws LibvirtException {
        return orNull(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, () -> conn.storagePoolLookupByName(name));
    }

    private static StoragePool requirePool(Connect conn, HostEndpoint host, String name) throws LibvirtException {
        StoragePool p = lookupPool(conn, name);
        if (p == null) {
            throw new DriverException("pool: no pool '" + name + "' on " + LibvirtDriver.where(host), null);
        }
        return p;
    }

    private static StorageVol lookupVolume(StoragePool pool, String name) throws LibvirtException {
        return orNull(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, () -> pool.storageVolLookupByName(name));
    }

    private static StorageVol requireVolume(StoragePool pool, HostEndpoint host, String poolName, String name)
            throws LibvirtException {
        StorageVol v = lookupVolume(pool, name);
        if (v == null) {
            throw new DriverException("volume: no volume '" + name + "' in pool '" + poolName + "' on "
                    + LibvirtDriver.where(host), null);
        }
        return v;
    }

    private static StorageVol lookupByPath(Connect conn, String path) throws LibvirtException {
        return orNull(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, () -> conn.storageVolLookupByPath(path));
    }

    /** A libvirt lookup, or null when libvirt answers that the object does not exist. */
    private static <T> T orNull(ErrorNumber missing, Lookup<T> lookup) throws LibvirtException {
        try {
            return lookup.get();
        } catch (LibvirtException e) {
            if (Libvirt.code(e) == missing) {
                return null;
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T get() throws LibvirtException;
    }

    private <T> T run(HostEndpoint host, String what, HostConnection.Call<T> call) {
        if (host == null || host.uri() == null || host.uri().isBlank()) {
            throw invalid("host.uri", "is required");
        }
        HostConnection c = connections.computeIfAbsent(host.uri(), uri -> new HostConnection(uri, null));
        try {
            return c.call(call);
        } catch (LibvirtException e) {
            throw LibvirtDriver.failure(what, host, e);
        } catch (LinkageError e) {
            throw new DriverException("libvirt's client library (libvirt.so.0, Debian package libvirt0) cannot be "
                    + "loaded: " + e.getMessage(), e);
        }
    }

    private static void requireName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid(field, "'" + name + "' is not a plain name (letters, digits, '_', '.', '+', '-'; "
                    + "at most 128)");
        }
    }

    private static void requirePath(String field, String path) {
        if (path == null || !path.startsWith("/") || path.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)
                || !Path.of(path).normalize().toString().equals(path) || path.equals("/")) {
            throw invalid(field, "'" + path + "' is not an absolute, normalised directory path");
        }
    }

    private static void requireCapacity(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw invalid("capacity", "must be positive, was " + capacityBytes);
        }
    }

    private static DriverException invalid(String field, String problem) {
        return new DriverException(field + ": " + problem, null);
    }
}
