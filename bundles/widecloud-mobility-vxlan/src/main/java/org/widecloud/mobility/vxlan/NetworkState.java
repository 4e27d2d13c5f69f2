package org.widecloud.mobility.vxlan;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.widecloud.api.spi.HostEndpoint;

/**
 * What the backend knows of one network: the hosts that carry it (by canonical VTEP address; the endpoint is null
 * while only the address is known, e.g. read from another host's flood list after a restart) and which VTEP each
 * VM MAC is behind. Guarded by its own monitor.
 */
final class NetworkState {
    final Map<String, HostEndpoint> carriers = new LinkedHashMap<>();
    final Map<String, String> macAt = new HashMap<>();
    /**
     * Hosts that {@code prepare} made carriers for one migrating VM (address to VM id): rollback removes them
     * again, unless another VM started using the host since (then the mark is gone).
     */
    final Map<String, String> joinedFor = new HashMap<>();
    /** Whether the state was read back from the hosts since this backend started. */
    boolean derived;
}
