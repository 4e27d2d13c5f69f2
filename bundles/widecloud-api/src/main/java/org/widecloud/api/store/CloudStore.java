package org.widecloud.api.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.Vm;

/**
 * Persistence of the inventory, jobs and audit log. Implementations: embedded H2 and PostgreSQL
 * ({@code org.widecloud.store.jdbc}). Names are unique per kind, ids globally.
 *
 * <p>Writes: {@code insert} fails with {@link DuplicateException} on a taken id or name (or a NIC address
 * already used on that network); {@code update} stores the record only if the stored version equals the
 * record's {@code version()}, and returns it with the version incremented, else
 * {@link StaleVersionException}; {@code delete} removes by id and returns whether something was removed.
 * {@link #inTransaction} runs several calls atomically.
 */
public interface CloudStore {

    <T> T inTransaction(Supplier<T> work);

    // sites
    void insertSite(Site site);

    Site updateSite(Site site);

    boolean deleteSite(String id);

    Optional<Site> site(String id);

    Optional<Site> siteByName(String name);

    Page<Site> sites(PageRequest page);

    // hosts
    void insertHost(Host host);

    Host updateHost(Host host);

    boolean deleteHost(String id);

    Optional<Host> host(String id);

    Optional<Host> hostByName(String name);

    /** {@code siteId} filters when not null. */
    Page<Host> hosts(PageRequest page, String siteId);

    // networks
    void insertNetwork(Network network);

    Network updateNetwork(Network network);

    boolean deleteNetwork(String id);

    Optional<Network> network(String id);

    Optional<Network> networkByName(String name);

    Page<Network> networks(PageRequest page);

    // images
    void insertImage(Image image);

    Image updateImage(Image image);

    boolean deleteImage(String id);

    Optional<Image> image(String id);

    Optional<Image> imageByName(String name);

    Page<Image> images(PageRequest page);

    // VMs (with their NICs)
    /** Also inserts the NICs; a NIC address or MAC already used fails with {@link DuplicateException}. */
    void insertVm(Vm vm);

    /** Also replaces the NICs. */
    Vm updateVm(Vm vm);

    boolean deleteVm(String id);

    Optional<Vm> vm(String id);

    Optional<Vm> vmByName(String name);

    /** Ordered by name; every argument but {@code page} filters when not null (ids and a state name). */
    Page<Vm> vms(PageRequest page, VmFilter filter);

    /** Number of VMs matching the filter. */
    long countVms(VmFilter filter);

    /** Sum of vcpus and memory of the VMs defined on a host: [vcpus, memoryMiB]. */
    long[] allocatedOn(String hostId);

    /** IPv4 and IPv6 addresses (canonical text) taken on a network. */
    Set<String> addressesInUse(String networkId);

    /** MACs in use anywhere. */
    boolean macInUse(String mac);

    // jobs
    void insertJob(Job job);

    /** Jobs are written by one owner at a time: no version check, the version is incremented. */
    Job updateJob(Job job);

    Optional<Job> job(String id);

    /** Newest first; filters when not null. */
    Page<Job> jobs(PageRequest page, String target, String state);

    /** Jobs that are PENDING or RUNNING (to recover after a restart). */
    List<Job> unfinishedJobs();

    // migration journal
    void insertMigration(org.widecloud.api.model.Migration migration);

    /** Version-checked like the inventory. */
    org.widecloud.api.model.Migration updateMigration(org.widecloud.api.model.Migration migration);

    Optional<org.widecloud.api.model.Migration> migration(String id);

    /** Newest first; {@code vmId} filters when not null. */
    Page<org.widecloud.api.model.Migration> migrations(PageRequest page, String vmId);

    /** Migrations not DONE nor ROLLED_BACK (to recover after a restart). */
    List<org.widecloud.api.model.Migration> unfinishedMigrations();

    // pools; names unique
    void insertPool(org.widecloud.api.model.Pool pool);

    org.widecloud.api.model.Pool updatePool(org.widecloud.api.model.Pool pool);

    boolean deletePool(String id);

    Optional<org.widecloud.api.model.Pool> pool(String id);

    Optional<org.widecloud.api.model.Pool> poolByName(String name);

    /** Ordered by name; {@code siteId} not null lists that site's pools and the wide-area ones. */
    Page<org.widecloud.api.model.Pool> pools(PageRequest page, String siteId);

    // volumes; names unique
    void insertVolume(org.widecloud.api.model.Volume volume);

    org.widecloud.api.model.Volume updateVolume(org.widecloud.api.model.Volume volume);

    boolean deleteVolume(String id);

    Optional<org.widecloud.api.model.Volume> volume(String id);

    Optional<org.widecloud.api.model.Volume> volumeByName(String name);

    /** Ordered by name; each filter applies when not null. */
    Page<org.widecloud.api.model.Volume> volumes(PageRequest page, VolumeFilter filter);

    long countVolumes(VolumeFilter filter);

    /** Filters of {@link #volumes}: by pool id, attached VM id, backing image id, holding host id, state name. */
    record VolumeFilter(String poolId, String vmId, String imageId, String hostId, String state) {
        public VolumeFilter(String poolId, String vmId, String imageId) {
            this(poolId, vmId, imageId, null, null);
        }

        public static VolumeFilter none() {
            return new VolumeFilter(null, null, null);
        }

        public static VolumeFilter onHost(String hostId) {
            return new VolumeFilter(null, null, null, hostId, null);
        }

        public static VolumeFilter inState(String state) {
            return new VolumeFilter(null, null, null, null, state);
        }
    }

    // audit
    void audit(AuditEvent event);

    /** Newest first. */
    Page<AuditEvent> auditEvents(PageRequest page, String target);

    /** Filter of VM lists. */
    record VmFilter(String hostId, String networkId, String imageId, String state) {
        public static VmFilter none() {
            return new VmFilter(null, null, null, null);
        }

        public static VmFilter onHost(String hostId) {
            return new VmFilter(hostId, null, null, null);
        }
    }
}
