package org.widecloud.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Site;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.store.CloudStore;

/**
 * Storage pools. A pool exists on its storage before it is stored: creating it opens it (on every UP host of
 * its site for host-local backends) and a failure stores nothing. Secret parameters are kept, never shown.
 */
@Component(service = PoolService.class)
public class PoolServiceImpl implements PoolService, DriverRegistry.Listener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PoolServiceImpl.class);

    private final CloudStore store;
    private final Audit audit;
    private final DriverRegistry drivers;
    private final Pools pools;

    @Activate
    public PoolServiceImpl(@Reference CloudStore store, @Reference Audit audit, @Reference DriverRegistry drivers) {
        this.store = store;
        this.audit = audit;
        this.drivers = drivers;
        this.pools = new Pools(store, drivers);
        this.reopening = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "widecloud-pool-open");
            t.setDaemon(true);
            return t;
        });
        drivers.addListener(this);
    }

    private final java.util.concurrent.ExecutorService reopening;

    @org.osgi.service.component.annotations.Deactivate
    public void close() {
        drivers.removeListener(this);
        reopening.shutdownNow();
    }

    @Override
    public void hypervisorChanged(String type, boolean added) {
    }

    /**
     * When a backend arrives (at start, or reinstalled) its shared pools are opened again: a storage server that
     * restarted meanwhile (tgtd forgets its targets) gets back what the stored pools and volumes need.
     */
    @Override
    public void storageChanged(String type, boolean added) {
        if (added) {
            reopening.execute(() -> reopenShared(type));
        }
    }

    /** Opens again every shared pool of the backend; returns how many answered. */
    int reopenShared(String type) {
        int opened = 0;
        for (Pool p : store.pools(PageRequest.all(), null).items()) {
            if (!p.backend().equals(type)) {
                continue;
            }
            try {
                StorageBackend backend = pools.backend(p);
                if (backend.hostLocal()) {
                    continue; // libvirt autostarts dir pools with their host
                }
                StorageBackend.PoolStatus s = backend.open(Pools.ref(p), null);
                store.updatePool(Pools.with(p, s.capacityBytes(), s.usedBytes(),
                        p.state() == PoolState.UNAVAILABLE ? PoolState.ACTIVE : p.state(),
                        p.state() == PoolState.UNAVAILABLE ? null : p.stateReason()));
                opened++;
            } catch (RuntimeException e) {
                LOG.warn("pool {} ({}) could not be opened again: {}", p.name(), type, e.getMessage());
            }
        }
        return opened;
    }

    @Override
    public Pool create(String user, Requests.PoolCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        String type = Names.type("backend", r.backend());
        Site site = r.site() == null ? null : Refs.field("site", "site", r.site(), store::site, store::siteByName);
        StorageBackend backend = drivers.findStorage(type).orElseThrow(() -> new DriverMissingException("storage", type));
        if (backend.hostLocal() && site == null) {
            throw new ValidationException("site", "backend '" + type
                    + "' keeps volumes on each host: give the site whose hosts hold the pool");
        }
        Map<String, String> parameters = parameters(r.parameters(), Map.of());
        backend.validate(parameters);
        if (store.poolByName(name).isPresent()) {
            throw new ConflictException("name", "a pool named '" + name + "' exists already");
        }
        Pool pool = new Pool(UUID.randomUUID().toString(), name, site == null ? null : site.id(), type, parameters, 0, 0,
                PoolState.ACTIVE, null, Instant.now(), 0);
        StorageBackend.PoolStatus status = open(pool, backend);
        Pool opened = Pools.with(pool, status.capacityBytes(), status.usedBytes(), PoolState.ACTIVE, null);
        StoreErrors.run("pool", () -> store.insertPool(opened));
        audit.record(user, "pool.create", "pool", pool.id(), name + " (" + type + ", "
                + (site == null ? "wide-area" : "site " + site.name()) + ")");
        return pools.masked(opened);
    }

    /** Makes the pool exist where it lives and returns what the storage reports. */
    private StorageBackend.PoolStatus open(Pool pool, StorageBackend backend) {
        try {
            if (!backend.hostLocal()) {
                return backend.open(Pools.ref(pool), null);
            }
            List<Host> hosts = pools.upHosts(pool.site());
            if (hosts.isEmpty()) {
                throw new ConflictException("site", "no host of the pool's site is UP to hold it");
            }
            long capacity = 0;
            long used = 0;
            for (Host h : hosts) {
                StorageBackend.PoolStatus s = backend.open(Pools.ref(pool), Endpoints.of(h));
                capacity += s.capacityBytes();
                used += s.usedBytes();
            }
            return new StorageBackend.PoolStatus(capacity, used);
        } catch (RuntimeException e) {
            throw Volumes.failure("opening pool '" + pool.name() + "' on backend '" + pool.backend() + "' failed", e);
        }
    }

    /**
     * User parameters, checked for form; a value given back as {@link Pools#MASK} (as a client read it) keeps the
     * stored secret.
     */
    private static Map<String, String> parameters(Map<String, String> given, Map<String, String> stored) {
        Map<String, String> out = new LinkedHashMap<>();
        if (given == null) {
            return out;
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey();
            if (key == null || !key.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new ValidationException("parameters", "'" + Names.printable(String.valueOf(key))
                        + "' is not a parameter name");
            }
            String value = Names.text("parameters." + key, e.getValue(), 1024);
            if (Pools.MASK.equals(value)) {
                value = stored.get(key);
                if (value == null) {
                    throw new ValidationException("parameters." + key, "give the value, not the mask");
                }
            }
            out.put(key, value == null ? "" : value);
        }
        return out;
    }

    private Pool raw(String ref) {
        return Refs.path("pool", ref, store::pool, store::poolByName);
    }

    @Override
    public Pool get(String ref) {
        return pools.masked(raw(ref));
    }

    @Override
    public Page<Pool> list(PageRequest page, String site) {
        String siteId = site == null ? null : Refs.field("site", "site", site, store::site, store::siteByName).id();
        return store.pools(page, siteId).map(pools::masked);
    }

    @Override
    public Pool update(String user, String ref, Requests.PoolUpdate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Pool p = raw(ref);
        StoreErrors.expectVersion("pool", r.version(), p.version());
        String name = r.name() == null ? p.name() : Names.name("name", r.name());
        if (!name.equals(p.name()) && store.poolByName(name).isPresent()) {
            throw new ConflictException("name", "a pool named '" + name + "' exists already");
        }
        PoolState state = p.state();
        if (r.state() != null) {
            state = Enums.parse("state", PoolState.class, r.state());
            if (state == PoolState.UNAVAILABLE) {
                throw new ValidationException("state", "UNAVAILABLE is set by the controller; give ACTIVE or MAINTENANCE");
            }
        }
        Map<String, String> parameters = p.parameters();
        long capacity = p.capacityBytes();
        long used = p.usedBytes();
        if (r.parameters() != null) {
            long volumes = store.countVolumes(new CloudStore.VolumeFilter(p.id(), null, null));
            if (volumes > 0) {
                throw new ConflictException("parameters", "pool '" + p.name() + "' holds " + volumes
                        + " volume(s): its parameters change only while it is empty");
            }
            StorageBackend backend = pools.backend(p);
            parameters = parameters(r.parameters(), p.parameters());
            backend.validate(parameters);
            Pool changed = new Pool(p.id(), name, p.site(), p.backend(), parameters, 0, 0, state, null, p.created(),
                    p.version());
            StorageBackend.PoolStatus s = open(changed, backend);
            capacity = s.capacityBytes();
            used = s.usedBytes();
        }
        Pool changed = new Pool(p.id(), name, p.site(), p.backend(), parameters, capacity, used, state,
                state == p.state() ? p.stateReason() : null, p.created(), p.version());
        Pool updated = StoreErrors.translate("pool", () -> store.updatePool(changed));
        audit.record(user, "pool.update", "pool", p.id(), name + " " + state
                + (r.parameters() == null ? "" : ", parameters " + String.join(",", parameters.keySet())));
        return pools.masked(updated);
    }

    @Override
    public Pool refresh(String user, String ref) {
        Pool p = raw(ref);
        StorageBackend backend = pools.backend(p);
        StorageBackend.PoolStatus s;
        try {
            // Opening a shared pool again is idempotent and heals a storage server that lost its exports.
            s = backend.hostLocal() ? pools.measure(p, backend) : backend.open(Pools.ref(p), null);
        } catch (RuntimeException e) {
            RuntimeException failed = Volumes.failure("pool '" + p.name() + "' does not answer", e);
            StoreErrors.translate("pool", () -> store.updatePool(Pools.with(p, p.capacityBytes(), p.usedBytes(),
                    PoolState.UNAVAILABLE, Names.printable(failed.getMessage()))));
            throw failed;
        }
        PoolState state = p.state() == PoolState.UNAVAILABLE ? PoolState.ACTIVE : p.state();
        Pool updated = StoreErrors.translate("pool", () -> store.updatePool(Pools.with(p, s.capacityBytes(),
                s.usedBytes(), state, state == PoolState.ACTIVE ? null : p.stateReason())));
        audit.record(user, "pool.refresh", "pool", p.id(), p.name() + " " + s.usedBytes() + "/" + s.capacityBytes());
        return pools.masked(updated);
    }

    @Override
    public void delete(String user, String ref) {
        Pool p = raw(ref);
        long volumes = store.countVolumes(new CloudStore.VolumeFilter(p.id(), null, null));
        if (volumes > 0) {
            throw new ConflictException("pool", "pool '" + p.name() + "' holds " + volumes + " volume(s)");
        }
        store.deletePool(p.id());
        closeQuietly(p);
        audit.record(user, "pool.delete", "pool", p.id(), p.name());
    }

    /** Undoes what opening made (libvirt pool definitions, accounts); the pool's record is gone already. */
    private void closeQuietly(Pool p) {
        drivers.findStorage(p.backend()).ifPresent(backend -> {
            List<org.widecloud.api.spi.HostEndpoint> where = backend.hostLocal()
                    ? pools.upHosts(p.site()).stream().map(Endpoints::of).toList()
                    : java.util.Collections.singletonList(null);
            for (org.widecloud.api.spi.HostEndpoint ep : where) {
                try {
                    backend.close(Pools.ref(p), ep);
                } catch (RuntimeException e) {
                    LOG.warn("closing pool {} on {} failed (left defined there): {}", p.name(),
                            ep == null ? "its server" : ep.hostName(), e.getMessage());
                }
            }
        });
    }
}
