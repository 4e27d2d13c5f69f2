package org.widecloud.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * A storage pool. {@code site} is the site whose hosts use it, or null for a wide-area pool that the hosts of
 * every site reach (VMs on it migrate between sites without copying disks). {@code backend} names the storage
 * backend ({@code local}, {@code iscsi}); {@code parameters} are its settings with secrets (CHAP) never shown:
 * their values are replaced by {@code "******"} in every output.
 */
public record Pool(String id, String name, String site, String backend, Map<String, String> parameters,
        long capacityBytes, long usedBytes, PoolState state, String stateReason, Instant created, long version)
        implements Entity {

    public Pool {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public boolean wideArea() {
        return site == null;
    }
}
