package org.widecloud.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.store.CloudStore;
import org.widecloud.driver.kvm.KvmDriver;
import org.widecloud.store.jdbc.JdbcCloudStore;

/**
 * The real core on the real store (H2 file database) and the real KVM driver on libvirt's built-in test
 * hypervisor ({@code test:///default}): no daemon, but libvirt's own API and XML handling.
 */
class VmLifecycleTest {
    private static final String USER = "tester";

    @TempDir
    Path folder;
    JdbcCloudStore store;
    KvmDriver driver;
    CoreFixture core;
    Host host;
    HostEndpoint endpoint;

    @BeforeEach
    void setUp() {
        store = JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.toString()), null, null, 4);
        driver = new KvmDriver();
        core = new CoreFixture(store).withDriver(driver);
        core.sites.create(USER, new Requests.SiteCreate("campus-a", "first site"));
        host = core.hosts.create(USER, new Requests.HostCreate("h1", "campus-a", "kvm", "test:///default"));
        endpoint = new HostEndpoint(host.id(), host.name(), host.uri());
        core.networks.create(USER, new Requests.NetworkCreate("lan", "10.9.0.0/24", "2001:db8:9::/64", null, "br-lan",
                null));
        core.images.create(USER, new Requests.ImageCreate("tiny", null, null, "/var/tmp/vmlinuz", "/var/tmp/initrd.gz",
                "console=ttyS0"));
    }

    @AfterEach
    void tearDown() {
        core.close();
        driver.close();
        store.close();
    }

    private String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Job done(Job job) throws InterruptedException {
        Job j = core.jobs.await(job.id(), Duration.ofSeconds(30));
        assertTrue(j.isDone(), "job did not end: " + j);
        return j;
    }

    private Vm create(String name, boolean start) throws InterruptedException {
        Job j = done(core.vms.create(USER, new Requests.VmCreate(name, null, "campus-a", 1, 64L, "tiny",
                List.of(new Requests.NicRequest("lan", null, null, null)), start)));
        assertEquals(JobState.SUCCEEDED, j.state(), j.error());
        return core.vms.get(name);
    }

    @Test
    void hostUrisWithPasswordsAreRefused() {
        ValidationException e = assertThrows(ValidationException.class, () -> core.hosts.create(USER,
                new Requests.HostCreate("xs", "campus-a", "xenserver", "xenserver://root:secret@10.0.0.9")));
        assertEquals("uri", e.field());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(store.hostByName("xs").isEmpty());
    }

    @Test
    void hostIsReadWhenRegistered() {
        assertEquals(HostState.UP, host.state());
        assertTrue(host.cpus() > 0 && host.memoryMiB() > 0, host.toString());
    }

    @Test
    void aVmGoesThroughItsWholeLifeInLibvirt() throws Exception {
        String name = unique("web");
        Vm vm = create(name, false);
        assertEquals(VmState.DEFINED, vm.state());
        assertEquals(host.id(), vm.host());
        Nic nic = vm.nics().get(0);
        assertEquals("10.9.0.2", nic.ipv4(), "lowest free address after the gateway");
        assertEquals("2001:db8:9::2", nic.ipv6());
        assertEquals(DomainState.SHUTOFF, driver.state(endpoint, vm.id()));

        assertEquals(JobState.SUCCEEDED, done(core.vms.start(USER, name)).state());
        assertEquals(VmState.RUNNING, core.vms.get(name).state());
        assertEquals(DomainState.RUNNING, driver.state(endpoint, vm.id()));

        assertEquals(JobState.SUCCEEDED, done(core.vms.reboot(USER, name)).state());
        assertEquals(VmState.RUNNING, core.vms.get(name).state());

        assertEquals(JobState.SUCCEEDED, done(core.vms.stop(USER, name, Duration.ofSeconds(5))).state());
        assertEquals(VmState.STOPPED, core.vms.get(name).state());
        assertEquals(DomainState.SHUTOFF, driver.state(endpoint, vm.id()));

        done(core.vms.start(USER, name));
        assertEquals(JobState.SUCCEEDED, done(core.vms.destroy(USER, name)).state());
        assertEquals(VmState.STOPPED, core.vms.get(name).state());

        assertEquals(JobState.SUCCEEDED, done(core.vms.delete(USER, name)).state());
        assertTrue(store.vmByName(name).isEmpty());
        assertEquals(DomainState.MISSING, driver.state(endpoint, vm.id()));
        assertTrue(core.audit.list(PageRequest.of(0, 100), vm.id()).items().stream()
                .anyMatch(e -> e.action().equals("vm.delete") && e.user().equals(USER)));
    }

    @Test
    void createAndStartInOneJob() throws Exception {
        Vm vm = create(unique("db"), true);
        assertEquals(VmState.RUNNING, vm.state());
    }

    @Test
    void refusedCreatesLeaveNothingBehind() throws Exception {
        String taken = create(unique("first"), false).nics().get(0).ipv4();
        long vmsBefore = store.countVms(CloudStore.VmFilter.none());
        int domainsBefore = driver.states(endpoint).size();

        assertField("nics[0].ipv4", ValidationException.class, () -> core.vms.create(USER, vmWithIp(unique("x"), "10.8.0.5")));
        assertField("nics[0].ipv4", ConflictException.class, () -> core.vms.create(USER, vmWithIp(unique("x"), taken)));
        assertField("nics[0].ipv4", ValidationException.class, () -> core.vms.create(USER, vmWithIp(unique("x"), "10.9.0.1")));
        assertField("memoryMiB", ValidationException.class, () -> core.vms.create(USER,
                new Requests.VmCreate(unique("big"), "h1", null, 1, 1L << 30, "tiny", List.of(), false)));
        assertField("vcpus", ValidationException.class, () -> core.vms.create(USER,
                new Requests.VmCreate(unique("z"), "h1", null, 0, 64L, "tiny", List.of(), false)));
        assertField("image", ValidationException.class, () -> core.vms.create(USER,
                new Requests.VmCreate(unique("i"), "h1", null, 1, 64L, "nope", List.of(), false)));
        assertField("name", ValidationException.class, () -> core.vms.create(USER,
                new Requests.VmCreate("bad name;$(x)", "h1", null, 1, 64L, "tiny", List.of(), false)));

        assertEquals(vmsBefore, store.countVms(CloudStore.VmFilter.none()));
        assertEquals(domainsBefore, driver.states(endpoint).size());
    }

    @Test
    void aCreateTheHypervisorRefusesIsRolledBack() throws Exception {
        // test:///default ships a domain named "test": defining another of that name fails in libvirt.
        long vmsBefore = store.countVms(CloudStore.VmFilter.none());
        Job j = done(core.vms.create(USER, new Requests.VmCreate("test", "h1", null, 1, 64L, "tiny", List.of(), false)));
        assertEquals(JobState.FAILED, j.state());
        assertNotNull(j.error());
        assertEquals(vmsBefore, store.countVms(CloudStore.VmFilter.none()));
        assertTrue(store.vmByName("test").isEmpty());
    }

    @Test
    void operationsInTheWrongStateAreRefused() throws Exception {
        String name = unique("s");
        create(name, false);
        assertField("state", ConflictException.class, () -> core.vms.stop(USER, name, null));
        assertField("state", ConflictException.class, () -> core.vms.reboot(USER, name));
        done(core.vms.start(USER, name));
        assertField("state", ConflictException.class, () -> core.vms.start(USER, name));
        assertField("state", ConflictException.class, () -> core.vms.update(USER, name,
                new Requests.VmUpdate(null, 2, null, null)));
    }

    @Test
    void updateRedefinesAStoppedVm() throws Exception {
        String name = unique("u");
        create(name, false);
        Vm updated = core.vms.update(USER, name, new Requests.VmUpdate(null, 2, 96L, null));
        assertEquals(2, updated.vcpus());
        assertEquals(96L, updated.memoryMiB());
        done(core.vms.start(USER, name));
        assertEquals(VmState.RUNNING, core.vms.get(name).state());
    }

    @Test
    void withoutItsDriverAHostsVmsStayAndOperationsSaySo() throws Exception {
        String name = unique("d");
        Vm vm = create(name, true);
        core.drivers.removeHypervisor(driver);
        DriverMissingException e = assertThrows(DriverMissingException.class, () -> core.vms.stop(USER, name, null));
        assertEquals("no hypervisor driver 'kvm' installed", e.getMessage());
        core.reconciler.reconcileHost(host.id());
        assertEquals(HostState.NO_DRIVER, core.hosts.get("h1").state());
        assertEquals(VmState.RUNNING, core.vms.get(name).state(), "the last known state stays");
        assertTrue(store.vm(vm.id()).isPresent());
        assertEquals(DomainState.RUNNING, driver.state(endpoint, vm.id()), "libvirt keeps running it");

        core.drivers.addHypervisor(driver, new String[] { "test", "0" });
        await().atMost(Duration.ofSeconds(10)).until(() -> core.hosts.get("h1").state() == HostState.UP);
        assertEquals(JobState.SUCCEEDED, done(core.vms.stop(USER, name, Duration.ofSeconds(5))).state());
    }

    @Test
    void statesChangedBehindTheControllersBackAreReconciled() throws Exception {
        String name = unique("r");
        Vm vm = create(name, true);
        driver.destroy(endpoint, vm.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            core.reconciler.reconcileHost(host.id());
            return core.vms.get(name).state() == VmState.STOPPED;
        });
        driver.start(endpoint, vm.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            core.reconciler.reconcileHost(host.id());
            return core.vms.get(name).state() == VmState.RUNNING;
        });
    }

    @Test
    void halfDoneWorkOfAStoppedControllerIsFinished() throws Exception {
        // A create journalled but never defined on the host: rolled back.
        Vm orphan = new Vm(UUID.randomUUID().toString(), unique("orphan"), USER, host.id(), 1, 64,
                store.imageByName("tiny").orElseThrow().id(), List.of(), VmState.CREATING, null, Instant.now(),
                Instant.now(), 0);
        store.insertVm(orphan);
        // A delete journalled, the domain still defined: finished.
        Vm deleting = create(unique("deleting"), false);
        store.updateVm(deleting.withState(VmState.DELETING, "being deleted"));
        // A job that was running.
        Job running = core.jobs.newJob("vm.start", "vm", deleting.id(), USER);
        store.insertJob(running.with(JobState.RUNNING, 40, "starting", null));

        core.reconciler.reconcileHost(host.id());
        assertTrue(store.vm(orphan.id()).isEmpty());
        assertTrue(store.vm(deleting.id()).isEmpty());
        assertEquals(DomainState.MISSING, driver.state(endpoint, deleting.id()));

        try (JobManager restarted = new JobManager(store, Settings.defaults())) {
            Job closed = restarted.get(running.id());
            assertEquals(JobState.FAILED, closed.state());
            assertTrue(closed.error().contains("controller stopped"), closed.error());
        }
    }

    @Test
    void aVmWhoseDomainVanishedIsDefinedAgainAtStart() throws Exception {
        String name = unique("v");
        Vm vm = create(name, false);
        driver.undefine(endpoint, vm.id());
        core.reconciler.reconcileHost(host.id());
        assertEquals(VmState.DEFINED, core.vms.get(name).state());
        assertEquals(JobState.SUCCEEDED, done(core.vms.start(USER, name)).state());
        assertEquals(DomainState.RUNNING, driver.state(endpoint, vm.id()));
    }

    @Test
    void deletesOfThingsInUseAreRefused() throws Exception {
        create(unique("user"), false);
        assertField("site", ConflictException.class, () -> core.sites.delete(USER, "campus-a"));
        assertField("host", ConflictException.class, () -> core.hosts.delete(USER, "h1"));
        assertField("network", ConflictException.class, () -> core.networks.delete(USER, "lan"));
        assertField("image", ConflictException.class, () -> core.images.delete(USER, "tiny"));
    }

    @Test
    void overlappingNetworksAreRefused() {
        assertField("ipv4Prefix", ValidationException.class, () -> core.networks.create(USER,
                new Requests.NetworkCreate("lan2", "10.9.0.128/25", null, null, null, null)));
        assertField("ipv6Prefix", ValidationException.class, () -> core.networks.create(USER,
                new Requests.NetworkCreate("lan3", null, "2001:db8:9::/48", null, null, null)));
        assertFalse(store.networkByName("lan2").isPresent());
    }

    private static Requests.VmCreate vmWithIp(String name, String ipv4) {
        return new Requests.VmCreate(name, "h1", null, 1, 64L, "tiny",
                List.of(new Requests.NicRequest("lan", ipv4, null, null)), false);
    }

    private static void assertField(String field, Class<? extends CloudException> type, Runnable call) {
        CloudException e = assertThrows(type, call::run);
        assertEquals(field, e.field(), e.getMessage());
    }
}
