package org.widecloud.store.jdbc;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.store.CloudStore;
import org.widecloud.api.store.StoreException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The {@link CloudStore} on JDBC (H2 or PostgreSQL, chosen by configuration {@code org.widecloud.store}).
 * Every call runs in a transaction of its own unless it is made inside {@link #inTransaction}. Immediate, so
 * that the schema is migrated and a bad configuration reported when the bundle starts, not at first use.
 */
@Component(service = CloudStore.class, configurationPid = "org.widecloud.store", immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfig.class)
public class JdbcCloudStore implements CloudStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCloudStore.class);

    private final SiteTable sites = new SiteTable();
    private final HostTable hosts = new HostTable();
    private final NetworkTable networks = new NetworkTable();
    private final ImageTable images = new ImageTable();
    private final VmTable vms = new VmTable();
    private final JobTable jobs = new JobTable();
    private final MigrationTable migrations = new MigrationTable();
    private final PoolTable pools = new PoolTable();
    private final VolumeTable volumes = new VolumeTable();
    private final AuditTable audit = new AuditTable();

    private HikariDataSource dataSource;
    private Tx tx;

    @Activate
    void activate(StoreConfig config) {
        StoreSettings settings;
        try {
            settings = StoreSettings.from(config);
        } catch (IllegalArgumentException e) {
            throw new StoreException("configuration org.widecloud.store: " + e.getMessage(), e);
        }
        open(settings);
    }

    /** Opens the pool and brings the schema up to date; also the entry point of tests and tools. */
    void open(StoreSettings settings) {
        dataSource = DataSources.pooled(settings);
        try {
            List<Integer> applied = new SchemaRunner(JdbcCloudStore.class.getClassLoader()).migrate(dataSource);
            tx = new Tx(dataSource);
            LOG.info("widecloud store: {} at {}{}", settings.type().name().toLowerCase(), settings.safeUrl(),
                    applied.isEmpty() ? ", schema current" : ", applied schema versions " + applied);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * A store outside OSGi (tests of other modules, tools): same settings as the configuration keys, empty
     * values meaning their defaults. {@link #h2FileUrl} gives the URL of a file database in a folder.
     */
    public static JdbcCloudStore open(String type, String url, String user, String password, int poolSize) {
        JdbcCloudStore store = new JdbcCloudStore();
        store.open(StoreSettings.of(type, url, user, password, poolSize));
        return store;
    }

    /** The JDBC URL of an H2 file database in {@code folder}, with the options the default one has. */
    public static String h2FileUrl(String folder) {
        return StoreSettings.h2FileUrl(folder);
    }

    @Deactivate
    public void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return tx.run(c -> work.get(), SqlErrors::general);
    }

    // sites

    @Override
    public void insertSite(Site site) {
        write(sites, site.id(), c -> {
            sites.insert(c, site);
            return null;
        });
    }

    @Override
    public Site updateSite(Site site) {
        return write(sites, site.id(), c -> sites.update(c, site));
    }

    @Override
    public boolean deleteSite(String id) {
        return write(sites, id, c -> sites.delete(c, id));
    }

    @Override
    public Optional<Site> site(String id) {
        return read(c -> sites.byId(c, id));
    }

    @Override
    public Optional<Site> siteByName(String name) {
        return read(c -> sites.byName(c, name));
    }

    @Override
    public Page<Site> sites(PageRequest page) {
        return read(c -> sites.page(c, page));
    }

    // hosts

    @Override
    public void insertHost(Host host) {
        write(hosts, host.id(), c -> {
            hosts.insert(c, host);
            return null;
        });
    }

    @Override
    public Host updateHost(Host host) {
        return write(hosts, host.id(), c -> hosts.update(c, host));
    }

    @Override
    public boolean deleteHost(String id) {
        return write(hosts, id, c -> hosts.delete(c, id));
    }

    @Override
    public Optional<Host> host(String id) {
        return read(c -> hosts.byId(c, id));
    }

    @Override
    public Optional<Host> hostByName(String name) {
        return read(c -> hosts.byName(c, name));
    }

    @Override
    public Page<Host> hosts(PageRequest page, String siteId) {
        return read(c -> siteId == null ? hosts.page(c, page) : hosts.page(c, page, "site_id = ?", siteId));
    }

    // networks

    @Override
    public void insertNetwork(Network network) {
        write(networks, network.id(), c -> {
            networks.insert(c, network);
            return null;
        });
    }

    @Override
    public Network updateNetwork(Network network) {
        return write(networks, network.id(), c -> networks.update(c, network));
    }

    @Override
    public boolean deleteNetwork(String id) {
        return write(networks, id, c -> networks.delete(c, id));
    }

    @Override
    public Optional<Network> network(String id) {
        return read(c -> networks.byId(c, id));
    }

    @Override
    public Optional<Network> networkByName(String name) {
        return read(c -> networks.byName(c, name));
    }

    @Override
    public Page<Network> networks(PageRequest page) {
        return read(c -> networks.page(c, page));
    }

    // images

    @Override
    public void insertImage(Image image) {
        write(images, image.id(), c -> {
            images.insert(c, image);
            return null;
        });
    }

    @Override
    public Image updateImage(Image image) {
        return write(images, image.id(), c -> images.update(c, image));
    }

    @Override
    public boolean deleteImage(String id) {
        return write(images, id, c -> images.delete(c, id));
    }

    @Override
    public Optional<Image> image(String id) {
        return read(c -> images.byId(c, id));
    }

    @Override
    public Optional<Image> imageByName(String name) {
        return read(c -> images.byName(c, name));
    }

    @Override
    public Page<Image> images(PageRequest page) {
        return read(c -> images.page(c, page));
    }

    // VMs

    @Override
    public void insertVm(Vm vm) {
        write(vms, vm.id(), c -> {
            vms.insert(c, vm);
            return null;
        });
    }

    @Override
    public Vm updateVm(Vm vm) {
        return write(vms, vm.id(), c -> vms.update(c, vm));
    }

    @Override
    public boolean deleteVm(String id) {
        return write(vms, id, c -> vms.delete(c, id));
    }

    @Override
    public Optional<Vm> vm(String id) {
        return read(c -> vms.byId(c, id));
    }

    @Override
    public Optional<Vm> vmByName(String name) {
        return read(c -> vms.byName(c, name));
    }

    @Override
    public Page<Vm> vms(PageRequest page, VmFilter filter) {
        return read(c -> vms.page(c, page, filter));
    }

    @Override
    public long countVms(VmFilter filter) {
        return read(c -> vms.count(c, filter));
    }

    @Override
    public long[] allocatedOn(String hostId) {
        return read(c -> vms.allocatedOn(c, hostId));
    }

    @Override
    public Set<String> addressesInUse(String networkId) {
        return read(c -> vms.addressesInUse(c, networkId));
    }

    @Override
    public boolean macInUse(String mac) {
        return read(c -> vms.macInUse(c, mac));
    }

    // jobs

    @Override
    public void insertJob(Job job) {
        tx.run(c -> {
            jobs.insert(c, job);
            return null;
        }, e -> SqlErrors.write(e, "job", job.id()));
    }

    @Override
    public Job updateJob(Job job) {
        return tx.run(c -> jobs.update(c, job), e -> SqlErrors.write(e, "job", job.id()));
    }

    @Override
    public Optional<Job> job(String id) {
        return read(c -> jobs.byId(c, id));
    }

    @Override
    public Page<Job> jobs(PageRequest page, String target, String state) {
        return read(c -> jobs.page(c, page, target, state));
    }

    @Override
    public List<Job> unfinishedJobs() {
        return read(jobs::unfinished);
    }

    // migration journal

    @Override
    public void insertMigration(Migration migration) {
        tx.run(c -> {
            migrations.insert(c, migration);
            return null;
        }, e -> SqlErrors.write(e, "migration", migration.id()));
    }

    @Override
    public Migration updateMigration(Migration migration) {
        return tx.run(c -> migrations.update(c, migration), e -> SqlErrors.write(e, "migration", migration.id()));
    }

    @Override
    public Optional<Migration> migration(String id) {
        return read(c -> migrations.byId(c, id));
    }

    @Override
    public Page<Migration> migrations(PageRequest page, String vmId) {
        return read(c -> migrations.page(c, page, vmId));
    }

    @Override
    public List<Migration> unfinishedMigrations() {
        return read(migrations::unfinished);
    }

    // audit

    @Override
    public void audit(AuditEvent event) {
        tx.run(c -> {
            audit.insert(c, event);
            return null;
        }, SqlErrors::general);
    }

    @Override
    public Page<AuditEvent> auditEvents(PageRequest page, String target) {
        return read(c -> audit.page(c, page, target));
    }

    private <T> T write(EntityTable<?> table, String id, Tx.Work<T> work) {
        return tx.run(work, e -> SqlErrors.write(e, table.kind, id));
    }

    private <T> T read(Tx.Work<T> work) {
        return tx.run(work, SqlErrors::general);
    }

    // pools

    @Override
    public void insertPool(Pool pool) {
        write(pools, pool.id(), c -> {
            pools.insert(c, pool);
            return null;
        });
    }

    @Override
    public Pool updatePool(Pool pool) {
        return write(pools, pool.id(), c -> pools.update(c, pool));
    }

    @Override
    public boolean deletePool(String id) {
        return write(pools, id, c -> pools.delete(c, id));
    }

    @Override
    public Optional<Pool> pool(String id) {
        return read(c -> pools.byId(c, id));
    }

    @Override
    public Optional<Pool> poolByName(String name) {
        return read(c -> pools.byName(c, name));
    }

    @Override
    public Page<Pool> pools(PageRequest page, String siteId) {
        return read(c -> siteId == null ? pools.page(c, page)
                : pools.page(c, page, "site_id = ? OR site_id IS NULL", siteId));
    }

    // volumes

    @Override
    public void insertVolume(Volume volume) {
        write(volumes, volume.id(), c -> {
            volumes.insert(c, volume);
            return null;
        });
    }

    @Override
    public Volume updateVolume(Volume volume) {
        return write(volumes, volume.id(), c -> volumes.update(c, volume));
    }

    @Override
    public boolean deleteVolume(String id) {
        return write(volumes, id, c -> volumes.delete(c, id));
    }

    @Override
    public Optional<Volume> volume(String id) {
        return read(c -> volumes.byId(c, id));
    }

    @Override
    public Optional<Volume> volumeByName(String name) {
        return read(c -> volumes.byName(c, name));
    }

    @Override
    public Page<Volume> volumes(PageRequest page, VolumeFilter filter) {
        return read(c -> volumes.page(c, page, filter));
    }

    @Override
    public long countVolumes(VolumeFilter filter) {
        return read(c -> volumes.count(c, filter));
    }
}
