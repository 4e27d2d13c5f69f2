package org.widecloud.core;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.spi.VmSpec;

/**
 * TEST FIXTURE, not a product backend: volumes as sparse files under a temporary directory, so that core's
 * storage logic is tested without libvirt pools or tgtd (the real backends have their own modules and tests).
 * Every host has its own folder ({@code <root>/<host name>}, or {@code <root>/shared} for storage every host
 * reaches); a volume's key is the path every host sees, {@code <path>/<volume id>.<format>}, the same on each
 * host as with libvirt directory pools. A volume "from an image" is a file that names its backing image.
 * Parameters: {@code path} (default {@code /pools/<pool id>}), {@code capacity} (bytes per host, default 10 GiB), {@code secret} (a secret, never shown),
 * {@code unreachable} (host names that cannot reach a shared pool). Failures can be injected.
 */
final class DirStorageBackend implements StorageBackend {
    private final String type;
    private final boolean hostLocal;
    private final Path root;
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile RuntimeException failCreate;
    volatile RuntimeException failDelete;
    volatile RuntimeException failOpen;

    DirStorageBackend(String type, boolean hostLocal, Path root) {
        this.type = type;
        this.hostLocal = hostLocal;
        this.root = root;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public boolean hostLocal() {
        return hostLocal;
    }

    @Override
    public Set<String> secretParameters() {
        return Set.of("secret");
    }

    @Override
    public void validate(Map<String, String> parameters) {
        String c = parameters.get("capacity");
        if (c != null && !c.matches("[1-9][0-9]{0,18}")) {
            throw new ValidationException("parameters.capacity", "'" + c + "' is not a number of bytes");
        }
    }

    private static long capacity(PoolRef pool) {
        return Long.parseLong(pool.parameters().getOrDefault("capacity", String.valueOf(10L << 30)));
    }

    /** The folder that stands for the host's (or the shared storage's) file system. */
    Path hostRoot(HostEndpoint host) {
        return root.resolve(hostLocal ? host.hostName() : "shared");
    }

    /** Where a key lives as seen from a host. */
    Path file(HostEndpoint host, String key) {
        Path p = hostRoot(host).resolve(key.substring(1)).normalize();
        if (!p.startsWith(hostRoot(host))) {
            throw new DriverException("key '" + key + "' leaves the pool", null);
        }
        return p;
    }

    /** As with directory pools: the pool's {@code path} (default {@code /pools/<pool id>}) and the volume's id. */
    private static String key(PoolRef pool, String volumeId, String format) {
        return dir(pool) + "/" + volumeId + "." + format;
    }

    private static String dir(PoolRef pool) {
        return pool.parameters().getOrDefault("path", "/pools/" + pool.poolId());
    }

    @Override
    public PoolStatus open(PoolRef pool, HostEndpoint host) {
        calls.add("open " + pool.name() + (host == null ? "" : " " + host.hostName()));
        if (failOpen != null) {
            throw failOpen;
        }
        try {
            Files.createDirectories(file(host, dir(pool)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return status(pool, host);
    }

    @Override
    public void close(PoolRef pool, HostEndpoint host) {
        calls.add("close " + pool.name() + (host == null ? "" : " " + host.hostName()));
    }

    @Override
    public PoolStatus status(PoolRef pool, HostEndpoint host) {
        Path dir = file(host, dir(pool));
        long used = 0;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                used = files.mapToLong(f -> f.toFile().length()).sum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new PoolStatus(capacity(pool), used);
    }

    @Override
    public VolumeRef createVolume(PoolRef pool, HostEndpoint host, VolumeRequest request) {
        calls.add("create " + request.volumeId() + (host == null ? "" : " " + host.hostName())
                + (request.imagePath() == null ? "" : " from " + request.imagePath()));
        if (failCreate != null) {
            throw failCreate;
        }
        String key = key(pool, request.volumeId(), request.format());
        Path f = file(host, key);
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, request.imagePath() == null ? "" : "backing " + request.imagePath() + "\n");
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(request.sizeBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new VolumeRef(request.volumeId(), key, request.sizeBytes(), request.format());
    }

    @Override
    public void deleteVolume(PoolRef pool, HostEndpoint host, VolumeRef volume) {
        calls.add("delete " + volume.volumeId() + (host == null ? "" : " " + host.hostName()));
        if (failDelete != null) {
            throw failDelete;
        }
        String key = volume.key();
        try {
            if (key != null) {
                Files.deleteIfExists(file(host, key));
            } else {
                for (String format : List.of("qcow2", "raw")) {
                    Files.deleteIfExists(file(host, key(pool, volume.volumeId(), format)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public VolumeRef resizeVolume(PoolRef pool, HostEndpoint host, VolumeRef volume, long sizeBytes) {
        calls.add("resize " + volume.volumeId() + " " + sizeBytes);
        try (RandomAccessFile raf = new RandomAccessFile(file(host, volume.key()).toFile(), "rw")) {
            raf.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new VolumeRef(volume.volumeId(), volume.key(), sizeBytes, volume.format());
    }

    @Override
    public VmSpec.Disk attachInfo(PoolRef pool, VolumeRef volume, HostEndpoint host) {
        return VmSpec.Disk.file(volume.key(), volume.format(), false);
    }

    @Override
    public boolean reachableFrom(PoolRef pool, HostEndpoint host) {
        String unreachable = pool.parameters().getOrDefault("unreachable", "");
        return !List.of(unreachable.split(",")).contains(host.hostName());
    }

    /** What a copy-storage migration does to a file disk: its content appears at the same path on the target. */
    void copy(HostEndpoint from, HostEndpoint to, String key) {
        try {
            Files.copy(file(from, key), file(to, key), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
