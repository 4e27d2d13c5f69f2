package org.widecloud.core;

import java.time.Duration;

import org.widecloud.api.service.AuditService;
import org.widecloud.api.service.DriverService;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.JobService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.SiteService;
import org.widecloud.api.service.VmService;
import org.widecloud.api.service.VolumeService;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.StorageBackend;
import org.widecloud.api.store.CloudStore;

/**
 * The real core wired by hand, without a container, on a given store: for tests of core and of the front ends
 * (published in core's test jar). Close it to stop its threads.
 */
public final class CoreFixture implements AutoCloseable {
    public final CloudStore store;
    public final DriverRegistry drivers = new DriverRegistry();
    public final VmLocks locks = new VmLocks();
    public final Audit audit;
    public final JobManager jobs;
    public final Reconciler reconciler;
    public final SiteService sites;
    public final HostService hosts;
    public final NetworkService networks;
    public final ImageService images;
    public final VmService vms;
    public final MigrationSaga saga;
    public final Volumes volumeStore;
    public final PoolService pools;
    public final VolumeService volumes;

    public CoreFixture(CloudStore store) {
        this(store, new Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), 4, false, "auto", "kvm", "virbr0"));
    }

    public CoreFixture(CloudStore store, Settings settings) {
        this.store = store;
        this.audit = new Audit(store);
        this.jobs = new JobManager(store, settings);
        this.reconciler = new Reconciler(store, drivers, locks, audit, settings);
        this.sites = new SiteServiceImpl(store, audit);
        this.hosts = new HostServiceImpl(store, audit, drivers, reconciler);
        this.networks = new NetworkServiceImpl(store, audit, drivers, settings);
        this.images = new ImageServiceImpl(store, audit);
        this.volumeStore = new Volumes(store, drivers, locks, audit, settings);
        reconciler.setVolumes(volumeStore);
        this.saga = new MigrationSaga(store, drivers, jobs, locks, audit, volumeStore);
        this.pools = new PoolServiceImpl(store, audit, drivers);
        this.volumes = new VolumeServiceImpl(store, audit, drivers, locks, volumeStore);
        this.vms = new VmServiceImpl(store, audit, drivers, jobs, locks, saga, volumeStore, settings);
    }

    public CoreFixture withDriver(HypervisorDriver driver) {
        drivers.addHypervisor(driver, new String[] { "test", "0" });
        return this;
    }

    public CoreFixture withStorage(StorageBackend backend) {
        drivers.addStorage(backend);
        return this;
    }

    public JobService jobService() {
        return jobs;
    }

    public DriverService driverService() {
        return drivers;
    }

    public AuditService auditService() {
        return audit;
    }

    @Override
    public void close() {
        ((PoolServiceImpl) pools).close();
        saga.close();
        volumeStore.close();
        reconciler.close();
        jobs.close();
    }
}
