package org.widecloud.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.store.CloudStore;

/** What pools and volumes share: the backend of a pool, its hosts, masking of secrets, who reaches it. */
final class Pools {
    static final String MASK = "******";

    private final CloudStore store;
    private final DriverRegistry drivers;

    Pools(CloudStore store, DriverRegistry drivers) {
        this.store = store;
        this.drivers = drivers;
    }

    StorageBackend backend(Pool pool) {
        return drivers.findStorage(pool.backend()).orElseThrow(() -> new DriverMissingException("storage", pool.backend()));
    }

    static StorageBackend.PoolRef ref(Pool pool) {
        return new StorageBackend.PoolRef(pool.id(), pool.name(), pool.site(), pool.parameters());
    }

    /**
     * The pool as shown: the backend's secret parameters replaced by {@link #MASK}. Without its backend the
     * secret keys are unknown, so every value is masked.
     */
    Pool masked(Pool p) {
        Optional<StorageBackend> b = drivers.findStorage(p.backend());
        Set<String> secret = b.map(StorageBackend::secretParameters).orElse(null);
        Map<String, String> shown = new LinkedHashMap<>();
        p.parameters().forEach((k, v) -> shown.put(k, secret == null || secret.contains(k) ? MASK : v));
        return new Pool(p.id(), p.name(), p.site(), p.backend(), shown, p.capacityBytes(), p.usedBytes(), p.state(),
                p.stateReason(), p.created(), p.version());
    }

    /** UP hosts of a site, by name. */
    List<Host> upHosts(String siteId) {
        return store.hosts(PageRequest.all(), siteId).items().stream().filter(h -> h.state() == HostState.UP).toList();
    }

    /** Whether {@code host} may use the pool's volumes at all: its site's pools and the wide-area ones. */
    static boolean siteReaches(Pool pool, Host host) {
        return pool.wideArea() || pool.site().equals(host.site());
    }

    /**
     * Capacity and use: a host-local pool is the sum of its directories on the site's UP hosts, another one what
     * its storage reports.
     */
    StorageBackend.PoolStatus measure(Pool pool, StorageBackend backend) {
        if (!backend.hostLocal()) {
            return backend.status(ref(pool), null);
        }
        long capacity = 0;
        long used = 0;
        for (Host h : upHosts(pool.site())) {
            StorageBackend.PoolStatus s = backend.status(ref(pool), Endpoints.of(h));
            capacity += s.capacityBytes();
            used += s.usedBytes();
        }
        return new StorageBackend.PoolStatus(capacity, used);
    }

    /** The pool with new figures and state, everything else kept. */
    static Pool with(Pool p, long capacity, long used, org.widecloud.api.model.PoolState state, String reason) {
        return new Pool(p.id(), p.name(), p.site(), p.backend(), p.parameters(), capacity, used, state, reason,
                p.created(), p.version());
    }

    /** Stores what the storage reports now; a failure leaves the record as it was (callers that care ask first). */
    void remeasureQuietly(String poolId) {
        try {
            Pool p = store.pool(poolId).orElse(null);
            if (p == null) {
                return;
            }
            StorageBackend.PoolStatus s = measure(p, backend(p));
            store.updatePool(with(p, s.capacityBytes(), s.usedBytes(), p.state(), p.stateReason()));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Pools.class).debug("re-measuring pool {} failed: {}", poolId,
                    e.getMessage());
        }
    }
}
