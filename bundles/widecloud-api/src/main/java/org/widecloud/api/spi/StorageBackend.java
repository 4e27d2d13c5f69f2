package org.widecloud.api.spi;

import java.util.Map;

/**
 * Pools and volumes on one kind of storage (local directories, iSCSI). Registered with the service property
 * {@value #TYPE_PROPERTY}.
 */
public interface StorageBackend {
    String TYPE_PROPERTY = "storage";

    String type();

    /** Creates a volume, blank or as a copy-on-write child of {@code backingPath} where supported. */
    VolumeRef createVolume(PoolRef pool, String name, long sizeBytes, String backingPath);

    void deleteVolume(PoolRef pool, VolumeRef volume);

    void resizeVolume(PoolRef pool, VolumeRef volume, long sizeBytes);

    /** The disk a driver attaches for this volume. */
    VmSpec.Disk attachInfo(PoolRef pool, VolumeRef volume);

    boolean reachableFrom(PoolRef pool, HostEndpoint host);

    /** A pool: its id, site (null for wide-area) and backend parameters. */
    record PoolRef(String poolId, String siteId, Map<String, String> parameters) {
    }

    /** A volume inside a pool, by the backend's own key. */
    record VolumeRef(String volumeId, String key, long sizeBytes, String format) {
    }
}
