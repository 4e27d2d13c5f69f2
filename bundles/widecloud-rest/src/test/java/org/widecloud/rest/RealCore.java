package org.widecloud.rest;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;

import org.widecloud.api.store.CloudStore;
import org.widecloud.core.Audit;
import org.widecloud.core.DriverRegistry;
import org.widecloud.core.HostServiceImpl;
import org.widecloud.core.ImageServiceImpl;
import org.widecloud.core.JobManager;
import org.widecloud.core.NetworkServiceImpl;
import org.widecloud.core.Reconciler;
import org.widecloud.core.Settings;
import org.widecloud.core.SiteServiceImpl;
import org.widecloud.core.VmLocks;
import org.widecloud.core.VmServiceImpl;
import org.widecloud.store.jdbc.JdbcCloudStore;

/** The real core services on the real store (H2 in a folder), wired by hand as DS would wire them. */
final class RealCore implements AutoCloseable {
    final JdbcCloudStore store;
    final DriverRegistry drivers = new DriverRegistry();
    final VmLocks locks = new VmLocks();
    final Audit audit;
    final JobManager jobs;
    final Reconciler reconciler;
    final SiteServiceImpl sites;
    final HostServiceImpl hosts;
    final NetworkServiceImpl networks;
    final ImageServiceImpl images;
    final VmServiceImpl vms;

    RealCore(Path folder) throws Exception {
        store = openH2(folder);
        Settings settings = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), 4, false, "auto", "kvm",
                "virbr0");
        audit = new Audit(store);
        jobs = new JobManager(store, settings);
        reconciler = new Reconciler(store, drivers, locks, audit, settings);
        sites = new SiteServiceImpl(store, audit);
        hosts = new HostServiceImpl(store, audit, drivers, reconciler);
        networks = new NetworkServiceImpl(store, audit, drivers, settings);
        images = new ImageServiceImpl(store, audit);
        vms = new VmServiceImpl(store, audit, drivers, jobs, locks, settings);
    }

    /**
     * The store's factory for tests and tools is package-private (JdbcCloudStore.open); it is what the store's
     * own tests use, so reach it rather than copy its wiring.
     */
    private static JdbcCloudStore openH2(Path folder) throws Exception {
        Class<?> settings = Class.forName("org.widecloud.store.jdbc.StoreSettings");
        Method url = settings.getDeclaredMethod("h2FileUrl", String.class);
        url.setAccessible(true);
        Method open = JdbcCloudStore.class.getDeclaredMethod("open", String.class, String.class, String.class,
                String.class, int.class);
        open.setAccessible(true);
        return (JdbcCloudStore) open.invoke(null, "h2", url.invoke(null, folder.toString()), null, null, 4);
    }

    CloudStore cloudStore() {
        return store;
    }

    @Override
    public void close() throws Exception {
        reconciler.close();
        jobs.close();
        Method close = JdbcCloudStore.class.getDeclaredMethod("close");
        close.setAccessible(true);
        close.invoke(store);
    }
}
