package org.widecloud.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widecloud.store.jdbc.Fixtures.diskImage;
import static org.widecloud.store.jdbc.Fixtures.host;
import static org.widecloud.store.jdbc.Fixtures.job;
import static org.widecloud.store.jdbc.Fixtures.kernelImage;
import static org.widecloud.store.jdbc.Fixtures.network;
import static org.widecloud.store.jdbc.Fixtures.nic;
import static org.widecloud.store.jdbc.Fixtures.now;
import static org.widecloud.store.jdbc.Fixtures.site;
import static org.widecloud.store.jdbc.Fixtures.vm;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.MigrationStep;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.SiteState;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.store.CloudStore.VmFilter;
import org.widecloud.api.store.CloudStore.VolumeFilter;
import org.widecloud.api.store.DuplicateException;
import org.widecloud.api.store.StaleVersionException;
import org.widecloud.api.store.StoreException;

/** The {@link org.widecloud.api.store.CloudStore} contract, run against each real database by a subclass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CloudStoreContract {
    private static final List<String> TABLES = List.of("volumes", "pool_parameters", "pools", "audit_events",
            "jobs", "vm_nics", "vms",
            "network_parameters", "networks", "images", "hosts", "sites");

    protected JdbcCloudStore store;

    /** Opens a store on an empty database (schema not created yet). */
    protected abstract JdbcCloudStore openStore();

    @BeforeAll
    void open() {
        store = openStore();
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void wipe() throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : TABLES) {
                st.executeUpdate("DELETE FROM " + t);
            }
            c.commit();
        }
    }

    // CRUD of every kind

    @Test
    void sitesRoundTripUpdateAndDelete() {
        Site s = site("lyon");
        store.insertSite(s);
        assertEquals(s, store.site(s.id()).orElseThrow());
        assertEquals(s, store.siteByName("lyon").orElseThrow());

        Site changed = new Site(s.id(), "lyon-2", "moved", SiteState.MAINTENANCE, s.created(), s.version());
        Site updated = store.updateSite(changed);
        assertEquals(1, updated.version());
        assertEquals(updated, store.site(s.id()).orElseThrow());
        assertTrue(store.siteByName("lyon").isEmpty());

        assertTrue(store.deleteSite(s.id()));
        assertFalse(store.deleteSite(s.id()));
        assertTrue(store.site(s.id()).isEmpty());

        Site sparse = new Site(Fixtures.id(), "sparse", null, SiteState.ACTIVE, null, 0);
        store.insertSite(sparse);
        assertEquals(sparse, store.site(sparse.id()).orElseThrow(), "nulls round-trip");
    }

    @Test
    void hostsRoundTripAndFilterBySite() {
        Site a = site("a");
        Site b = site("b");
        store.insertSite(a);
        store.insertSite(b);
        Host h1 = host("h1", a);
        Host h2 = host("h2", b);
        Host h3 = host("h3", a);
        store.insertHost(h1);
        store.insertHost(h2);
        store.insertHost(h3);
        assertEquals(h2, store.hostByName("h2").orElseThrow());

        Host down = store.updateHost(h1.withState(HostState.DOWN, "no answer"));
        assertEquals(1, down.version());
        assertEquals(down, store.host(h1.id()).orElseThrow());
        assertEquals("no answer", store.host(h1.id()).orElseThrow().stateReason());

        Page<Host> onA = store.hosts(PageRequest.of(0, 10), a.id());
        assertEquals(List.of("h1", "h3"), onA.items().stream().map(Host::name).toList());
        assertEquals(2, onA.total());
        assertEquals(3, store.hosts(PageRequest.of(0, 10), null).total());

        assertTrue(store.deleteHost(h2.id()));
        assertTrue(store.host(h2.id()).isEmpty());
    }

    @Test
    void networksKeepTheirParameters() {
        Network n = new Network(Fixtures.id(), "lan", "10.1.0.0/24", "2001:db8:1::/64", "vxlan", "br-lan",
                Map.of("vni", "42", "group", "239.1.1.1"), now(), 0);
        store.insertNetwork(n);
        assertEquals(n, store.network(n.id()).orElseThrow());
        assertEquals(n, store.networkByName("lan").orElseThrow());

        Network changed = new Network(n.id(), "lan", null, "2001:db8:1::/64", "vxlan", "br-lan",
                Map.of("vni", "43"), n.created(), 0);
        Network updated = store.updateNetwork(changed);
        assertEquals(1, updated.version());
        assertEquals(Map.of("vni", "43"), store.network(n.id()).orElseThrow().parameters());
        assertEquals(updated, store.network(n.id()).orElseThrow());

        Network plain = new Network(Fixtures.id(), "plain", null, null, "bridge", "br0", Map.of(), now(), 0);
        store.insertNetwork(plain);
        Page<Network> page = store.networks(PageRequest.of(0, 10));
        assertEquals(List.of(updated, plain), page.items());

        assertTrue(store.deleteNetwork(n.id()));
        assertTrue(store.network(n.id()).isEmpty());
    }

    @Test
    void imagesOfBothKinds() {
        Image disk = diskImage("debian");
        Image kernel = kernelImage("tiny");
        store.insertImage(disk);
        store.insertImage(kernel);
        assertEquals(disk, store.image(disk.id()).orElseThrow());
        assertEquals(kernel, store.imageByName("tiny").orElseThrow());

        Image changed = new Image(kernel.id(), "tiny", kernel.kind(), null, null, "/boot/vmlinuz-2",
                "/boot/initrd-2", "quiet", kernel.created(), 0);
        assertEquals(1, store.updateImage(changed).version());
        assertEquals("quiet", store.image(kernel.id()).orElseThrow().cmdline());
        assertEquals(List.of("debian", "tiny"),
                store.images(PageRequest.of(0, 10)).items().stream().map(Image::name).toList());
        assertTrue(store.deleteImage(disk.id()));
        assertEquals(1, store.images(PageRequest.of(0, 10)).total());
    }

    @Test
    void vmsKeepTheirNicsInOrderAndUpdatesReplaceThem() {
        World w = world();
        Vm vm = vm("web", w.h1, w.img, List.of(nic(w.n1, "10.0.0.5", "2001:db8::5", "52:54:00:00:00:01"),
                nic(w.n2, null, null, "52:54:00:00:00:02")));
        store.insertVm(vm);
        assertEquals(vm, store.vm(vm.id()).orElseThrow());
        assertEquals(vm, store.vmByName("web").orElseThrow());

        Vm running = store.updateVm(new Vm(vm.id(), "web", "alice", w.h2.id(), 2, 256, w.img.id(),
                List.of(nic(w.n2, "192.168.0.9", null, "52:54:00:00:00:03")), VmState.RUNNING, null,
                vm.created(), now(), 0));
        assertEquals(1, running.version());
        assertEquals(running, store.vm(vm.id()).orElseThrow());
        assertFalse(store.macInUse("52:54:00:00:00:01"));
        assertTrue(store.macInUse("52:54:00:00:00:03"));

        Vm bare = vm("bare", w.h1, w.img, List.of());
        store.insertVm(bare);
        assertEquals(bare, store.vm(bare.id()).orElseThrow());

        assertTrue(store.deleteVm(vm.id()));
        assertFalse(store.deleteVm(vm.id()));
        assertTrue(store.vm(vm.id()).isEmpty());
        assertFalse(store.macInUse("52:54:00:00:00:03"), "NICs go with their VM");
    }

    @Test
    void jobsNewestFirstFilteredAndUnfinished() {
        Instant t0 = now();
        Job a = job("vm.create", "vm-1", JobState.SUCCEEDED, t0);
        Job b = job("vm.start", "vm-1", JobState.RUNNING, t0.plusMillis(1));
        Job c = job("vm.create", "vm-2", JobState.PENDING, t0.plusMillis(2));
        store.insertJob(a);
        store.insertJob(b);
        store.insertJob(c);
        assertEquals(b, store.job(b.id()).orElseThrow());

        Job progressed = store.updateJob(Fixtures.progress(b, JobState.RUNNING, 50, "defining", null));
        assertEquals(1, progressed.version());
        assertEquals(progressed, store.job(b.id()).orElseThrow());
        assertEquals(50, store.job(b.id()).orElseThrow().progress());

        assertEquals(List.of(c.id(), b.id(), a.id()), ids(store.jobs(PageRequest.of(0, 10), null, null).items()));
        assertEquals(List.of(b.id(), a.id()), ids(store.jobs(PageRequest.of(0, 10), "vm-1", null).items()));
        Page<Job> running = store.jobs(PageRequest.of(0, 10), "vm-1", "RUNNING");
        assertEquals(List.of(b.id()), ids(running.items()));
        assertEquals(1, running.total());
        assertEquals(List.of(b.id(), c.id()), ids(store.unfinishedJobs()));

        store.updateJob(Fixtures.progress(progressed, JobState.FAILED, 50, "defining", "host down"));
        assertEquals(List.of(c.id()), ids(store.unfinishedJobs()));
        assertEquals("host down", store.job(b.id()).orElseThrow().error());

        StoreException missing = assertThrows(StoreException.class,
                () -> store.updateJob(job("x", "y", JobState.RUNNING, t0)));
        assertTrue(missing.getMessage().contains("no such job"), missing.getMessage());
    }

    @Test
    void auditIsNumberedAndReadNewestFirst() {
        for (int i = 0; i < 5; i++) {
            store.audit(new AuditEvent(0, now(), "alice", "vm.start", "vm", i % 2 == 0 ? "even" : "odd",
                    "#" + i));
        }
        Page<AuditEvent> all = store.auditEvents(PageRequest.of(0, 3), null);
        assertEquals(5, all.total());
        assertEquals(List.of("#4", "#3", "#2"), all.items().stream().map(AuditEvent::detail).toList());
        assertTrue(all.items().get(0).seq() > all.items().get(1).seq());
        assertEquals("alice", all.items().get(0).user());
        Page<AuditEvent> odd = store.auditEvents(PageRequest.of(0, 10), "odd");
        assertEquals(List.of("#3", "#1"), odd.items().stream().map(AuditEvent::detail).toList());
        assertEquals(2, odd.total());
        assertEquals(List.of("#1"),
                store.auditEvents(PageRequest.of(1, 10), "odd").items().stream().map(AuditEvent::detail).toList());
    }

    // uniqueness

    @Test
    void duplicateNamesAndIdsNameTheField() {
        Site s = site("dup");
        store.insertSite(s);
        assertField("name", () -> store.insertSite(site("dup")));
        assertField("id", () -> store.insertSite(new Site(s.id(), "other", null, SiteState.ACTIVE, now(), 0)));
        Site other = site("other");
        store.insertSite(other);
        assertField("name", () -> store.updateSite(new Site(other.id(), "dup", null, SiteState.ACTIVE, now(), 0)));

        Host h = host("host", s);
        store.insertHost(h);
        assertField("name", () -> store.insertHost(host("host", s)));
        Network n = network("net", null, null);
        store.insertNetwork(n);
        assertField("name", () -> store.insertNetwork(network("net", null, null)));
        Image i = diskImage("img");
        store.insertImage(i);
        assertField("name", () -> store.insertImage(kernelImage("img")));
        Vm v = vm("vm", h, i, List.of());
        store.insertVm(v);
        assertField("name", () -> store.insertVm(vm("vm", h, i, List.of())));
        assertField("id", () -> store.insertVm(new Vm(v.id(), "vm2", null, h.id(), 1, 1, i.id(), List.of(),
                VmState.DEFINED, null, now(), now(), 0)));
        Job j = job("t", "x", JobState.PENDING, now());
        store.insertJob(j);
        assertField("id", () -> store.insertJob(j));
    }

    @Test
    void addressesAndMacsAreUniqueAndNothingIsLeftBehind() {
        World w = world();
        store.insertVm(vm("a", w.h1, w.img, List.of(nic(w.n1, "10.0.0.1", "2001:db8::1", "52:54:00:aa:00:01"))));
        assertField("ipv4", () -> store.insertVm(vm("b", w.h1, w.img,
                List.of(nic(w.n1, "10.0.0.1", null, "52:54:00:aa:00:02")))));
        assertField("ipv6", () -> store.insertVm(vm("b", w.h1, w.img,
                List.of(nic(w.n1, "10.0.0.2", "2001:db8::1", "52:54:00:aa:00:02")))));
        assertField("mac", () -> store.insertVm(vm("b", w.h1, w.img,
                List.of(nic(w.n1, "10.0.0.2", "2001:db8::2", "52:54:00:aa:00:01")))));
        // The same address on another network is fine, and the failed inserts left no VM row.
        store.insertVm(vm("b", w.h1, w.img, List.of(nic(w.n2, "10.0.0.1", "2001:db8::1", "52:54:00:aa:00:03"))));
        assertEquals(2, store.countVms(VmFilter.none()));

        Vm b = store.vmByName("b").orElseThrow();
        assertField("ipv4", () -> store.updateVm(new Vm(b.id(), "b", null, w.h1.id(), 1, 1, w.img.id(),
                List.of(nic(w.n1, "10.0.0.1", null, "52:54:00:aa:00:03")), VmState.DEFINED, null, now(), now(),
                b.version())));
        assertEquals(b, store.vm(b.id()).orElseThrow(), "a refused update changes nothing");
    }

    // versions and references

    @Test
    void staleVersionIsRefusedAndMissingIsNamed() {
        Site s = site("v");
        store.insertSite(s);
        Site first = store.updateSite(new Site(s.id(), "v", "first", SiteState.ACTIVE, s.created(), 0));
        assertThrows(StaleVersionException.class,
                () -> store.updateSite(new Site(s.id(), "v", "second", SiteState.ACTIVE, s.created(), 0)));
        assertEquals(first, store.site(s.id()).orElseThrow());
        assertEquals(2, store.updateSite(first).version());

        StoreException missing = assertThrows(StoreException.class, () -> store.updateSite(site("ghost")));
        assertFalse(missing instanceof StaleVersionException);
        assertTrue(missing.getMessage().contains("no such site"), missing.getMessage());

        World w = world();
        Vm v = vm("x", w.h1, w.img, List.of());
        store.insertVm(v);
        store.updateVm(Fixtures.inState(v, VmState.RUNNING));
        assertThrows(StaleVersionException.class, () -> store.updateVm(Fixtures.inState(v, VmState.STOPPED)));
        assertEquals(VmState.RUNNING, store.vm(v.id()).orElseThrow().state());
    }

    @Test
    void deletingSomethingStillReferencedIsRefusedAndSaysByWhat() {
        World w = world();
        store.insertVm(vm("x", w.h1, w.img, List.of(nic(w.n1, null, null, "52:54:00:bb:00:01"))));
        assertRefused("still used by hosts", () -> store.deleteSite(w.site.id()));
        assertRefused("still used by VMs", () -> store.deleteHost(w.h1.id()));
        assertRefused("still used by VMs", () -> store.deleteImage(w.img.id()));
        assertRefused("still used by VM NICs", () -> store.deleteNetwork(w.n1.id()));
        assertTrue(store.site(w.site.id()).isPresent());
        assertTrue(store.host(w.h1.id()).isPresent());
        assertTrue(store.image(w.img.id()).isPresent());
        assertTrue(store.network(w.n1.id()).isPresent());

        assertRefused("refers to a site that does not exist", () -> store.insertHost(host("h9", site("nowhere"))));
        assertRefused("refers to a network that does not exist", () -> store.insertVm(vm("y", w.h1, w.img,
                List.of(nic(network("ghost", null, null), null, null, null)))));
        assertTrue(store.vmByName("y").isEmpty());
    }

    // transactions

    @Test
    void inTransactionCommitsTogetherOrNotAtAll() {
        Site s = site("tx");
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
            store.insertSite(s);
            store.insertHost(host("tx-host", s));
            // nested: joins the outer transaction
            store.inTransaction(() -> {
                store.audit(new AuditEvent(0, now(), "bob", "site.create", "site", s.id(), null));
                return null;
            });
            assertTrue(store.site(s.id()).isPresent(), "visible inside its own transaction");
            throw boom;
        }));
        assertEquals(boom, thrown);
        assertTrue(store.site(s.id()).isEmpty());
        assertTrue(store.hostByName("tx-host").isEmpty());
        assertEquals(0, store.auditEvents(PageRequest.of(0, 10), null).total());

        String id = store.inTransaction(() -> {
            store.insertSite(s);
            store.insertHost(host("tx-host", s));
            return s.id();
        });
        assertTrue(store.site(id).isPresent());
        assertTrue(store.hostByName("tx-host").isPresent());
    }

    @Test
    void aStoreFailureInsideATransactionRollsBackTheWholeOfIt() {
        Site s = site("first");
        store.insertSite(s);
        Site fresh = site("fresh");
        assertField("name", () -> store.inTransaction(() -> {
            store.insertSite(fresh);
            store.insertSite(site("first"));
            return null;
        }));
        assertTrue(store.site(fresh.id()).isEmpty());
    }

    @Test
    void anOpenTransactionIsNotSeenByOtherThreads() throws Exception {
        Site s = site("hidden");
        AtomicReference<Boolean> seen = new AtomicReference<>();
        store.inTransaction(() -> {
            store.insertSite(s);
            Thread t = new Thread(() -> seen.set(store.siteByName("hidden").isPresent()));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        assertFalse(seen.get());
        assertTrue(store.siteByName("hidden").isPresent());
    }

    @Test
    void concurrentUpdatesOfOneVmLetExactlyOneWinPerVersion() throws Exception {
        World w = world();
        Vm v = vm("contended", w.h1, w.img, List.of());
        store.insertVm(v);
        int threads = 4;
        int rounds = 25;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger stale = new java.util.concurrent.atomic.AtomicInteger();
        try {
            for (int r = 0; r < rounds; r++) {
                Vm current = store.vm(v.id()).orElseThrow();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int n = t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        try {
                            store.updateVm(new Vm(current.id(), current.name(), "t" + n, current.host(), 1 + n, 128,
                                    current.image(), List.of(), VmState.RUNNING, null, current.created(), now(),
                                    current.version()));
                            wins.incrementAndGet();
                        } catch (StaleVersionException e) {
                            stale.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(rounds, wins.get(), "one winner per round");
        assertEquals(rounds * (threads - 1), stale.get());
        assertEquals(rounds, store.vm(v.id()).orElseThrow().version());
    }

    // queries

    @Test
    void vmPagesFiltersAndCounts() {
        World w = world();
        List<Vm> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Host h = i % 2 == 0 ? w.h1 : w.h2;
            Image img = i % 5 == 0 ? w.kernel : w.img;
            List<Nic> nics = i % 3 == 0
                    ? List.of(nic(w.n1, "10.0.0." + (i + 1), null, mac(i)), nic(w.n2, null, null, mac(100 + i)))
                    : List.of(nic(w.n2, "10.9.0." + (i + 1), null, mac(i)));
            Vm v = vm(String.format("vm-%02d", i), h, img, nics);
            if (i % 4 == 0) {
                v = Fixtures.inState(v, VmState.RUNNING);
            }
            store.insertVm(v);
            all.add(v);
        }
        Page<Vm> p = store.vms(PageRequest.of(10, 10), VmFilter.none());
        assertEquals(25, p.total());
        assertEquals(all.subList(10, 20), p.items());
        assertEquals(5, store.vms(PageRequest.of(20, 10), VmFilter.none()).items().size());

        assertEquals(names(all, v -> v.host().equals(w.h1.id())),
                names(store.vms(PageRequest.all(), VmFilter.onHost(w.h1.id())).items(), v -> true));
        assertEquals(13, store.countVms(VmFilter.onHost(w.h1.id())));
        VmFilter onN1 = new VmFilter(null, w.n1.id(), null, null);
        assertEquals(List.of("vm-00", "vm-03", "vm-06", "vm-09", "vm-12", "vm-15", "vm-18", "vm-21", "vm-24"),
                names(store.vms(PageRequest.all(), onN1).items(), v -> true));
        assertEquals(9, store.countVms(onN1));
        Page<Vm> n1Page = store.vms(PageRequest.of(0, 2), onN1);
        assertEquals(9, n1Page.total());
        assertEquals(2, n1Page.items().get(0).nics().size(), "a filtered VM still shows all its NICs");
        VmFilter kernelRunning = new VmFilter(null, null, w.kernel.id(), "RUNNING");
        assertEquals(List.of("vm-00", "vm-20"), names(store.vms(PageRequest.all(), kernelRunning).items(), v -> true));
        assertEquals(2, store.countVms(kernelRunning));
        VmFilter everything = new VmFilter(w.h1.id(), w.n1.id(), w.kernel.id(), "RUNNING");
        assertEquals(List.of("vm-00"), names(store.vms(PageRequest.all(), everything).items(), v -> true));
        assertEquals(0, store.countVms(new VmFilter(null, null, null, "PAUSED")));
    }

    @Test
    void allocationAndAddressesInUse() {
        World w = world();
        assertArrayEquals(new long[] {0, 0}, store.allocatedOn(w.h1.id()));
        store.insertVm(new Vm(Fixtures.id(), "a", null, w.h1.id(), 2, 512, w.img.id(),
                List.of(nic(w.n1, "10.0.0.1", "2001:db8::1", mac(1))), VmState.RUNNING, null, now(), now(), 0));
        store.insertVm(new Vm(Fixtures.id(), "b", null, w.h1.id(), 4, 1024, w.img.id(),
                List.of(nic(w.n1, "10.0.0.2", null, mac(2)), nic(w.n2, "10.0.0.3", null, mac(3))), VmState.STOPPED,
                null, now(), now(), 0));
        store.insertVm(new Vm(Fixtures.id(), "c", null, w.h2.id(), 1, 128, w.img.id(), List.of(), VmState.DEFINED,
                null, now(), now(), 0));
        assertArrayEquals(new long[] {6, 1536}, store.allocatedOn(w.h1.id()));
        assertArrayEquals(new long[] {1, 128}, store.allocatedOn(w.h2.id()));
        assertEquals(Set.of("10.0.0.1", "2001:db8::1", "10.0.0.2"), store.addressesInUse(w.n1.id()));
        assertEquals(Set.of("10.0.0.3"), store.addressesInUse(w.n2.id()));
        assertTrue(store.macInUse(mac(3)));
        assertFalse(store.macInUse(mac(4)));
    }

    @Test
    void schemaRunnerAppliesNothingTheSecondTime() throws SQLException {
        SchemaRunner runner = new SchemaRunner(JdbcCloudStore.class.getClassLoader());
        assertEquals(List.of(), runner.migrate(store.dataSource()));
        assertEquals(List.of(1, 2, 3), runner.scripts().stream().map(SchemaRunner.Script::version).toList());
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
            assertEquals("init", rs.getString(2));
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1));
            assertTrue(rs.next());
            assertEquals(3, rs.getInt(1));
            assertEquals("storage", rs.getString(2));
            assertFalse(rs.next());
            c.commit();
        }
    }

    @Test
    void hostAddressAndExecutorRoundTrip() {
        Site a = site("a");
        store.insertSite(a);
        Host h = host("h1", a);
        Host withAddress = new Host(h.id(), h.name(), h.site(), h.driver(), h.uri(), h.state(), h.cpus(),
                h.memoryMiB(), h.hypervisorVersion(), h.stateReason(), h.created(), 0, "10.0.1.2", "netns:site-a");
        store.insertHost(withAddress);
        assertEquals(withAddress, store.host(h.id()).orElseThrow());
        Host down = store.updateHost(withAddress.withState(HostState.DOWN, "gone"));
        assertEquals("10.0.1.2", down.address());
        assertEquals(down, store.host(h.id()).orElseThrow());
    }

    @Test
    void migrationJournalKeepsStepsAndRefusesStaleWrites() {
        Instant t = now();
        Migration m = new Migration(Fixtures.id(), Fixtures.id(), Fixtures.id(), "src", "dst", MigrationStep.PLANNED,
                null, null, null, null, null, t, t, 0);
        store.insertMigration(m);
        assertEquals(m, store.migration(m.id()).orElseThrow());
        Migration migrating = store.updateMigration(m.at(MigrationStep.MIGRATING));
        assertEquals(1, migrating.version());
        assertThrows(StaleVersionException.class, () -> store.updateMigration(m.at(MigrationStep.DONE)));
        assertEquals(List.of(m.id()), store.unfinishedMigrations().stream().map(Migration::id).toList());
        Migration done = store.updateMigration(migrating.measured(42, 1000, 900).at(MigrationStep.DONE));
        assertEquals(Long.valueOf(42), store.migration(m.id()).orElseThrow().downtimeMs());
        assertEquals(MigrationStep.DONE, done.step());
        assertTrue(store.unfinishedMigrations().isEmpty());
        assertEquals(1, store.migrations(PageRequest.of(0, 10), m.vm()).total());
        assertEquals(0, store.migrations(PageRequest.of(0, 10), "other").total());
    }

    // storage (schema 3)

    @Test
    void diskImagesKeepVirtualSizeAndChecksum() {
        Image d = diskImage("sized");
        Image sized = new Image(d.id(), d.name(), d.kind(), d.path(), d.format(), null, null, null, d.created(), 0,
                10L * 1024 * 1024 * 1024, "sha256:" + "ab".repeat(32));
        store.insertImage(sized);
        assertEquals(sized, store.image(d.id()).orElseThrow());
        Image plain = diskImage("unsized");
        store.insertImage(plain);
        assertEquals(null, store.image(plain.id()).orElseThrow().virtualSizeBytes(), "null stays null, not 0");
        assertEquals(plain, store.imageByName("unsized").orElseThrow());
    }

    @Test
    void poolsKeepTheirParametersAndListBySiteWithTheWideAreaOnes() {
        World w = world();
        Site other = site("other");
        store.insertSite(other);
        Pool local = Fixtures.pool("a-local", w.site(), "local", Map.of("path", "/var/lib/widecloud/pools/a"));
        Pool wide = Fixtures.pool("b-wide", null, "iscsi", Map.of("portal", "127.0.0.1:3260",
                "chap.secret", "0123456789abcdef"));
        Pool elsewhere = Fixtures.pool("c-other", other, "local", Map.of());
        store.insertPool(local);
        store.insertPool(wide);
        store.insertPool(elsewhere);
        assertEquals(local, store.pool(local.id()).orElseThrow());
        assertEquals(wide, store.poolByName("b-wide").orElseThrow());
        assertTrue(store.pool(wide.id()).orElseThrow().wideArea());
        assertEquals("0123456789abcdef", store.pool(wide.id()).orElseThrow().parameters().get("chap.secret"),
                "the store keeps secrets as given: masking is the services' job");

        assertEquals(List.of("a-local", "b-wide"), store.pools(PageRequest.of(0, 10), w.site().id()).items().stream()
                .map(Pool::name).toList());
        assertEquals(2, store.pools(PageRequest.of(0, 10), other.id()).total());
        assertEquals(List.of(local, wide, elsewhere), store.pools(PageRequest.of(0, 10), null).items());

        Pool full = new Pool(local.id(), local.name(), local.site(), local.backend(), Map.of("path", "/srv/a"),
                1000, 900, PoolState.UNAVAILABLE, "disk gone", local.created(), local.version());
        Pool updated = store.updatePool(full);
        assertEquals(1, updated.version());
        assertEquals(updated, store.pool(local.id()).orElseThrow());
        assertThrows(StaleVersionException.class, () -> store.updatePool(full));
        assertField("name", () -> store.insertPool(Fixtures.pool("b-wide", null, "local", Map.of())));

        assertTrue(store.deletePool(elsewhere.id()));
        assertFalse(store.deletePool(elsewhere.id()));
        assertRefused("refers to a site that does not exist",
                () -> store.insertPool(Fixtures.pool("ghost", site("nowhere"), "local", Map.of())));
        assertTrue(store.poolByName("ghost").isEmpty());
    }

    @Test
    void volumesRoundTripFilterCountAndProtectWhatTheyUse() {
        World w = world();
        Pool p1 = Fixtures.pool("p1", w.site(), "local", Map.of());
        Pool p2 = Fixtures.pool("p2", null, "iscsi", Map.of());
        store.insertPool(p1);
        store.insertPool(p2);
        Vm x = vm("x", w.h1(), w.kernel(), List.of());
        store.insertVm(x);
        Volume root = Fixtures.volume("x-root", p1, w.h1(), w.img(), x);
        Volume data = Fixtures.volume("x-data", p2, null, null, x);
        Volume spare = Fixtures.volume("spare", p1, w.h1(), w.img(), null);
        store.insertVolume(root);
        store.insertVolume(data);
        store.insertVolume(spare);
        assertEquals(root, store.volume(root.id()).orElseThrow());
        assertEquals(data, store.volumeByName("x-data").orElseThrow());

        assertEquals(List.of("spare", "x-data", "x-root"), volumeNames(new VolumeFilter(null, null, null)));
        assertEquals(List.of("spare", "x-root"), volumeNames(new VolumeFilter(p1.id(), null, null)));
        assertEquals(List.of("x-data", "x-root"), volumeNames(new VolumeFilter(null, x.id(), null)));
        assertEquals(List.of("x-root"), volumeNames(new VolumeFilter(p1.id(), x.id(), w.img().id())));
        assertEquals(2, store.countVolumes(new VolumeFilter(null, null, w.img().id())));
        assertEquals(3, store.countVolumes(null));
        assertEquals(0, store.countVolumes(new VolumeFilter(p2.id(), null, w.img().id())));
        assertEquals(List.of("spare", "x-root"), volumeNames(VolumeFilter.onHost(w.h1().id())));
        assertEquals(List.of("x-data", "x-root"), volumeNames(VolumeFilter.inState(root.state().name())));
        assertEquals(0, store.countVolumes(VolumeFilter.inState("DELETING")));

        // Migration moves a volume: new host and pool, a fresh version.
        Volume moved = store.updateVolume(new Volume(root.id(), root.name(), p2.id(), w.h2().id(),
                root.sizeBytes() * 2, "raw", root.image(), root.vm(), "iqn.x/1", VolumeState.IN_USE, root.created(),
                root.version()));
        assertEquals(1, moved.version());
        assertEquals(moved, store.volume(root.id()).orElseThrow());
        assertThrows(StaleVersionException.class, () -> store.updateVolume(root));

        assertField("name", () -> store.insertVolume(Fixtures.volume("spare", p2, null, null, null)));
        assertRefused("still used by volumes", () -> store.deleteImage(w.img().id()));
        assertRefused("still used by volumes", () -> store.deletePool(p1.id()));
        assertRefused("still used by volumes", () -> store.deleteVm(x.id()));
        assertRefused("refers to a pool that does not exist",
                () -> store.insertVolume(Fixtures.volume("lost", Fixtures.pool("none", null, "local", Map.of()),
                        null, null, null)));
        assertTrue(store.volumeByName("lost").isEmpty());

        assertTrue(store.deleteVolume(spare.id()));
        assertFalse(store.deleteVolume(spare.id()));
        assertTrue(store.volume(spare.id()).isEmpty());
    }

    private List<String> volumeNames(VolumeFilter filter) {
        Page<Volume> page = store.volumes(PageRequest.of(0, 10), filter);
        assertEquals(page.items().size(), page.total());
        return page.items().stream().map(Volume::name).toList();
    }

    // helpers

    /** A site with two hosts, two networks and two images. */
    protected record World(Site site, Host h1, Host h2, Network n1, Network n2, Image img, Image kernel) {
    }

    protected World world() {
        Site s = site("w");
        Host h1 = host("h1", s);
        Host h2 = host("h2", s);
        Network n1 = network("n1", "10.0.0.0/24", "2001:db8::/64");
        Network n2 = network("n2", "10.0.0.0/16", null);
        Image img = diskImage("disk");
        Image kernel = kernelImage("kernel");
        store.inTransaction(() -> {
            store.insertSite(s);
            store.insertHost(h1);
            store.insertHost(h2);
            store.insertNetwork(n1);
            store.insertNetwork(n2);
            store.insertImage(img);
            store.insertImage(kernel);
            return null;
        });
        return new World(s, h1, h2, n1, n2, img, kernel);
    }

    static String mac(int i) {
        return String.format("52:54:00:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    private static List<String> names(List<Vm> vms, java.util.function.Predicate<Vm> keep) {
        return vms.stream().filter(keep).map(Vm::name).sorted().toList();
    }

    private static void assertField(String field, Runnable r) {
        DuplicateException e = assertThrows(DuplicateException.class, r::run);
        assertEquals(field, e.field(), e.getMessage());
    }

    private static void assertRefused(String message, Runnable r) {
        StoreException e = assertThrows(StoreException.class, r::run);
        assertInstanceOf(StoreException.class, e);
        assertFalse(e instanceof DuplicateException);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
