package org.widecloud.api.spi;

import java.util.Map;


/**
 * Pools and volumes on one kind of storage (local directory pools, iSCSI targets). Registered with the service
 * property {@value #TYPE_PROPERTY}. Core keeps the records; a backend acts on the storage and reports what it
 * measured. Every method may throw {@link DriverException}; user-given names never reach a command line or XML
 * unescaped.
 */
public interface StorageBackend {
    String TYPE_PROPERTY = "storage";

    String type();

    /**
     * Refuses pool parameters this backend cannot use, with
     * {@link org.widecloud.api.service.ValidationException} naming {@code parameters.<key>}.
     */
    void validate(Map<String, String> parameters);

    /** Keys of parameters that are secrets (CHAP passwords): stored, never shown back. */
    default java.util.Set<String> secretParameters() {
        return java.util.Set.of();
    }

    /**
     * Whether volumes live on one host ({@code local}) rather than on storage every host of the pool reaches.
     * Host-local volumes pin their VM to that host; migrating it copies the disk.
     */
    boolean hostLocal();

    /** Makes the pool exist where it lives (on {@code host} for host-local backends, else its server). */
    PoolStatus open(PoolRef pool, HostEndpoint host);

    /**
     * Removes what {@link #open} made for the pool (a libvirt pool definition, a CHAP account), once core has
     * deleted its last volume and the pool itself; the data directory stays. Default: nothing to remove.
     */
    default void close(PoolRef pool, HostEndpoint host) {
    }

    /** Capacity and use as the storage reports them now. */
    PoolStatus status(PoolRef pool, HostEndpoint host);

    /** Creates a volume: blank, or from {@code image} (copy-on-write overlay where the backend can, else a copy). */
    VolumeRef createVolume(PoolRef pool, HostEndpoint host, VolumeRequest request);

    void deleteVolume(PoolRef pool, HostEndpoint host, VolumeRef volume);

    /** Grows a volume; shrinking is refused by core before this is called. */
    VolumeRef resizeVolume(PoolRef pool, HostEndpoint host, VolumeRef volume, long sizeBytes);

    /** The disk a driver attaches on {@code host} for this volume (a file, or an iSCSI network disk with CHAP). */
    VmSpec.Disk attachInfo(PoolRef pool, VolumeRef volume, HostEndpoint host);

    /** Whether {@code host} can attach this pool's volumes. */
    boolean reachableFrom(PoolRef pool, HostEndpoint host);

    /** A pool: its id, name, site (null for wide-area) and backend parameters (secrets included). */
    record PoolRef(String poolId, String name, String siteId, Map<String, String> parameters) {
        public PoolRef {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        /** Parameter names only: values may be secrets (CHAP) and a PoolRef ends up in logs and messages. */
        @Override
        public String toString() {
            return "PoolRef[poolId=" + poolId + ", name=" + name + ", siteId=" + siteId + ", parameters="
                    + new java.util.TreeSet<>(parameters.keySet()) + "]";
        }
    }

    /** What the storage reports about a pool. */
    record PoolStatus(long capacityBytes, long usedBytes) {
    }

    /**
     * A volume to create: widecloud's id (backends derive their names from it, never from the user's name),
     * size, format ({@code qcow2}, {@code raw}); {@code imagePath}/{@code imageFormat} when it starts as a copy
     * of an image file on the controller's machine or host (null for a blank volume).
     */
    record VolumeRequest(String volumeId, long sizeBytes, String format, String imagePath, String imageFormat) {
    }

    /** A volume inside a pool, by the backend's own key (a path; an IQN and LUN). */
    record VolumeRef(String volumeId, String key, long sizeBytes, String format) {
    }
}
