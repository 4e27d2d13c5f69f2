package org.widecloud.core;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.SiteService;
import org.widecloud.api.store.CloudStore;

/**
 * First start with an empty store: one site {@code local} with one host {@code local}, on the real libvirtd
 * when one runs on this machine, else on libvirt's built-in test hypervisor, so that a new installation works
 * with nothing to configure, and a storage pool {@code local} there once the local storage backend is installed.
 */
@Component(immediate = true, configurationPid = CoreConfig.PID)
@Designate(ocd = CoreConfig.class)
public class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    static final Path LIBVIRT_SOCKET = Path.of("/run/libvirt/libvirt-sock");

    /** The pool a first start makes in site {@code local} once the {@code local} storage backend is there. */
    static final String DEFAULT_POOL = "local";
    private static final String LOCAL_STORAGE = "local";

    private final DriverRegistry drivers;
    private final PoolService pools;
    private volatile DriverRegistry.Listener waitingForStorage;

    @Activate
    public Bootstrap(@Reference CloudStore store, @Reference SiteService sites, @Reference HostService hosts,
            @Reference PoolService pools, @Reference DriverRegistry drivers, CoreConfig config) {
        this(store, sites, hosts, pools, drivers, Settings.from(config));
    }

    public Bootstrap(CloudStore store, SiteService sites, HostService hosts, PoolService pools, DriverRegistry drivers,
            Settings settings) {
        this.drivers = drivers;
        this.pools = pools;
        if (!settings.bootstrap() || store.sites(new PageRequest(0, 1)).total() > 0) {
            return;
        }
        String uri = chooseUri(settings.bootstrapHostUri());
        Site site = sites.create("system", new Requests.SiteCreate("local", "created at first start"));
        Host host;
        try {
            host = hosts.create("system", new Requests.HostCreate("local", site.id(), settings.bootstrapHostDriver(), uri));
        } catch (ConflictException e) {
            LOG.warn("first start: {}; using libvirt's built-in test hypervisor instead", e.getMessage());
            uri = "test:///default";
            host = hosts.create("system", new Requests.HostCreate("local", site.id(), settings.bootstrapHostDriver(), uri));
        }
        LOG.info("first start: site 'local' with host 'local' on {} ({}); host state {}", uri,
                uri.startsWith("test:") ? "no libvirtd runs here: libvirt's built-in test hypervisor"
                        : "the libvirtd running on this machine",
                host.state());
        // Local storage is the embedded default: its pool is made as soon as its backend is installed (it may
        // register after core at boot).
        if (drivers.findStorage(LOCAL_STORAGE).isPresent()) {
            createDefaultPool();
        } else {
            waitingForStorage = new DriverRegistry.Listener() {
                @Override
                public void hypervisorChanged(String type, boolean added) {
                }

                @Override
                public void storageChanged(String type, boolean added) {
                    if (added && LOCAL_STORAGE.equals(type)) {
                        stopWaiting();
                        createDefaultPool();
                    }
                }
            };
            drivers.addListener(waitingForStorage);
        }
    }

    @Deactivate
    public void close() {
        stopWaiting();
    }

    private void stopWaiting() {
        DriverRegistry.Listener l = waitingForStorage;
        waitingForStorage = null;
        if (l != null) {
            drivers.removeListener(l);
        }
    }

    private void createDefaultPool() {
        try {
            var p = pools.create("system", new Requests.PoolCreate(DEFAULT_POOL, "local", LOCAL_STORAGE, null));
            LOG.info("first start: storage pool '{}' (local storage on host 'local', {} bytes)", p.name(),
                    p.capacityBytes());
        } catch (RuntimeException e) {
            LOG.warn("first start: the default storage pool '{}' could not be made ({}); create one with "
                    + "cloud:pool-create", DEFAULT_POOL, e.getMessage());
        }
    }

    static String chooseUri(String configured) {
        if (!"auto".equals(configured)) {
            return configured;
        }
        return Files.exists(LIBVIRT_SOCKET) ? "qemu:///system" : "test:///default";
    }
}
