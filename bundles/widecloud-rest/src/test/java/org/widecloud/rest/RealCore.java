package org.widecloud.rest;

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

    RealCore(Path folder) {
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

    private static JdbcCloudStore openH2(Path folder) {
        return JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.toString()), null, null, 4);
    }

    CloudStore cloudStore() {
        return store;
    }

    @Override
    public void close() {
        reconciler.close();
        jobs.close();
        store.close();
    }
}
