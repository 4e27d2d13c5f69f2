package org.widecloud.shell.vm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VmState;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.CloudAction;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun;
import org.widecloud.shell.support.ShellRun.Result;

/**
 * VM commands through the real core and the real KVM driver on libvirt's built-in test hypervisor: every
 * operation is a real job, followed by the commands' progress line.
 */
class VmCommandsTest extends CoreTest {
    private static final String NL = System.lineSeparator();
    private static final Pattern JOB_LINE = Pattern.compile("Job (\\S+) \\((\\S+)\\) (\\w+)");

    /** test:///default is one state per process: names are unique per test so tests cannot collide. */
    private final String name = "vm-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void inventory() {
        installKvmDriver();
        core.sites.create("alice", new Requests.SiteCreate("lyon", null));
        Host h1 = core.hosts.create("alice", new Requests.HostCreate("h1", "lyon", "kvm", "test:///default"));
        assertEquals(HostState.UP, h1.state(), "libvirt's test hypervisor answers: " + h1.stateReason());
        core.networks.create("alice", new Requests.NetworkCreate("lan", "10.9.0.0/24", "2001:db8:9::/64", null,
                null, null));
        core.images.create("alice", new Requests.ImageCreate("tiny", null, null, "/srv/lab/vmlinuz",
                "/srv/lab/initrd.img", "console=ttyS0"));
    }

    @AfterEach
    void removeLeftovers() {
        for (Vm vm : core.vms.list(PageRequest.all(), null, null).items()) {
            try {
                core.jobs.await(core.vms.delete("alice", vm.id()).id(), Duration.ofSeconds(30));
            } catch (RuntimeException | InterruptedException e) {
                // best effort: the next test uses other names
            }
        }
    }

    private <T extends VmJobAction> T wire(T a) {
        a.vmService = core.vms;
        a.hostService = core.hosts;
        a.imageService = core.images;
        a.networkService = core.networks;
        a.setJobService(core.jobService());
        return a;
    }

    private <T extends VmInfoAction> T wireInfo(T a) {
        a.vmService = core.vms;
        a.hostService = core.hosts;
        a.imageService = core.images;
        a.networkService = core.networks;
        return a;
    }

    private VmCreate create(String vmName, boolean start, String... nics) {
        VmCreate c = wire(new VmCreate());
        c.name = vmName;
        c.vcpus = 1;
        c.memory = 64L;
        c.image = "tiny";
        c.nics = List.of(nics);
        c.host = "h1";
        c.start = start;
        return c;
    }

    /** Runs on an 80-column terminal, as the console and SSH sessions do. */
    private static Result onTerminal(CloudAction a) throws Exception {
        a.setSession(ShellRun.session(80, Map.of("USER", "alice")));
        return ShellRun.run(a);
    }

    @Test
    void createFollowsTheJobWithAProgressLineThenPrintsTheOutcome() throws Exception {
        Result r = onTerminal(create(name, true, "lan,ipv4=10.9.0.10,ipv6=2001:db8:9::10"));

        assertNull(r.error(), r.error());
        assertTrue(r.out().startsWith("\r["), "the progress line is drawn in place: " + r.out());
        int end = r.out().indexOf(NL);
        String progress = r.out().substring(0, end);
        String lastFrame = progress.substring(progress.lastIndexOf('\r') + 1);
        assertEquals("[##########] 100% done", lastFrame.stripTrailing(), "completed line: " + progress);
        List<String> after = r.out().substring(end + NL.length()).lines().toList();
        Matcher job = JOB_LINE.matcher(after.get(0));
        assertTrue(job.matches(), after.get(0));
        assertEquals("vm.create", job.group(2));
        assertEquals("SUCCEEDED", job.group(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> core.vms.get(name).state() == VmState.RUNNING);
        Vm vm = core.vms.get(name);
        // The line shows the store's state right after the job. Core's reconciler can still apply libvirt's late
        // "defined" event (SHUTOFF) for a moment after a create --start (it applies the event's state instead of
        // re-reading the domain): until core fixes that, accept either here; the store settles on RUNNING.
        assertTrue(after.get(1).matches("VM " + name + " \\(" + vm.id() + "\\) (RUNNING|STOPPED) on h1"), after.get(1));
        assertEquals(2, after.size());
        assertEquals("alice", core.jobService().get(job.group(1)).user(), "the job runs as the session's user");

        VmList l = new VmList();
        l.vmService = core.vms;
        l.hostService = core.hosts;
        l.imageService = core.images;
        l.networkService = core.networks;
        l.setNoFormat(true);
        assertEquals(List.of(List.of(vm.id(), name, "RUNNING", "h1", "1", "64", "tiny",
                "10.9.0.10 2001:db8:9::10")), rows(run(l).out()));

        VmShow show = wireInfo(new VmShow());
        show.vm = name;
        String shown = run(show).out();
        assertTrue(detail(shown, "NIC 0").matches("network=lan ipv4=10\\.9\\.0\\.10 ipv6=2001:db8:9::10 mac=52:54:00(:\\p{XDigit}{2}){3}"),
                shown);
        assertEquals("alice", detail(shown, "Owner"), shown);
    }

    @Test
    void aVmGetsItsOwnRootVolumeInAPoolAndFurtherVolumes() throws Exception {
        installStorageBackends();
        core.pools.create("alice", new Requests.PoolCreate("fast", "lyon", "local", Map.of("path",
                files.resolve("fast").toString())));
        core.volumes.create("alice", new Requests.VolumeCreate("data-" + name, "fast", "h1", 1L << 20, null, null));
        VmCreate c = create(name, false);
        c.pool = "fast";
        c.diskGiB = 1;
        c.volumes = List.of("data-" + name);
        Result r = run(c);
        assertNull(r.error(), r.error());
        String id = core.vms.get(name).id();
        List<Volume> disks = core.volumes.list(PageRequest.all(), null, name).items();
        assertEquals(2, disks.size(), disks.toString());
        Volume root = disks.stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
        assertEquals(1L << 30, root.sizeBytes(), "--disk-gib 1");
        assertTrue(disks.stream().anyMatch(v -> v.name().equals("data-" + name)));
    }

    @Test
    void headlessSessionsGetTheOutcomeWithoutProgressLine() throws Exception {
        Result r = run(create(name, false, "lan"));

        assertNull(r.error(), r.error());
        assertFalse(r.out().contains("\r"), r.out());
        Vm vm = core.vms.get(name);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("Job \\S+ \\(vm\\.create\\) SUCCEEDED"), lines.get(0));
        assertEquals("VM " + name + " (" + vm.id() + ") DEFINED on h1", lines.get(1));
    }

    @Test
    void lifecycleStartStopRebootDestroyDelete() throws Exception {
        assertNull(run(create(name, false)).error());

        VmStart start = wire(new VmStart());
        start.vm = name;
        Result started = run(start);
        assertTrue(started.out().matches("Job \\S+ \\(vm\\.start\\) SUCCEEDED" + NL + "VM " + name + " .*" + NL),
                started.out() + started.error());

        VmReboot reboot = wire(new VmReboot());
        reboot.vm = name;
        Result rebooted = run(reboot);
        assertNull(rebooted.error(), rebooted.error());
        assertTrue(rebooted.out().startsWith("Job "), rebooted.out());

        VmStop stop = wire(new VmStop());
        stop.vm = name;
        stop.timeout = 5L;
        Result stopped = run(stop);
        assertNull(stopped.error(), stopped.error());
        await().atMost(Duration.ofSeconds(10)).until(() -> core.vms.get(name).state() == VmState.STOPPED);

        assertNull(run(start).error());
        VmDestroy destroy = wire(new VmDestroy());
        destroy.vm = name;
        assertNull(run(destroy).error());
        await().atMost(Duration.ofSeconds(10)).until(() -> !core.vms.get(name).state().isActive());

        VmDelete delete = wire(new VmDelete());
        delete.vm = name;
        Result deleted = run(delete);
        assertTrue(deleted.out().matches("Job \\S+ \\(vm\\.delete\\) SUCCEEDED" + NL), deleted.out());
        assertEquals(0, core.vms.list(PageRequest.all(), null, null).total());
    }

    @Test
    void asyncPrintsOnlyTheJobIdAndJobWaitFollowsIt() throws Exception {
        VmCreate c = create(name, true, "lan");
        c.setAsync(true);
        Result r = run(c);
        String id = r.out().strip();
        assertEquals(id + NL, r.out());
        assertEquals("vm.create", core.jobService().get(id).type());

        org.widecloud.shell.job.JobCommands commands = new org.widecloud.shell.job.JobCommands(core);
        Result waited = onTerminal(commands.waitFor(id, 30L));
        assertNull(waited.error(), waited.error());
        assertTrue(waited.out().contains("[##########] 100% done"), waited.out());
        assertTrue(waited.out().contains("Job " + id + " (vm.create) SUCCEEDED" + NL), waited.out());
        await().atMost(Duration.ofSeconds(10)).until(() -> core.vms.get(name).state() == VmState.RUNNING);

        String shown = run(commands.show(id)).out();
        assertEquals("SUCCEEDED", detail(shown, "State"), shown);
        assertEquals("100%", detail(shown, "Progress"), shown);

        String listed = run(commands.list()).out();
        assertTrue(listed.contains(id) && listed.contains("vm.create"), listed);
    }

    @Test
    void aFailedJobPrintsItsStateAndFailsWithItsError() throws Exception {
        // libvirt's test hypervisor already has a domain named "test": defining another one fails in the job
        Result r = onTerminal(create("test", false));

        assertTrue(r.out().contains("\r["), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("Job \\S+ \\(vm\\.create\\) FAILED")), r.out());
        assertTrue(r.error().startsWith("Error: defining vm 'test' on host 'h1' failed: "), r.error());
        assertFalse(r.error().contains("\n"), "one line: " + r.error());
        assertEquals(1, core.jobService().list(PageRequest.all(), null, JobState.FAILED.name()).total());
        assertEquals(0, core.vms.list(PageRequest.all(), null, null).total(), "nothing left behind");
    }

    @Test
    void rejectedRequestsStartNoJob() throws Exception {
        VmCreate zero = create(name, false);
        zero.vcpus = 0;
        assertEquals("Error: vcpus: must be greater than 0", run(zero).error());

        assertEquals("Error: nic: unknown key 'vlan' in 'lan,vlan=3' (expected ipv4, ipv6 or mac)",
                run(create(name, false, "lan,vlan=3")).error());

        Result outside = run(create(name, false, "lan,ipv4=192.0.2.1"));
        assertTrue(outside.failed() && outside.error().startsWith("Error: ") && outside.error().contains("ipv4"),
                outside.error());

        VmStart unknown = wire(new VmStart());
        unknown.vm = "nope";
        assertEquals("Error: no vm 'nope'", run(unknown).error());

        assertEquals(0, core.jobService().list(PageRequest.all(), null, null).total());
        assertEquals(0, core.vms.list(PageRequest.all(), null, null).total());
    }

    @Test
    void aStopWithANegativeTimeoutIsRefusedByTheCommand() throws Exception {
        VmStop stop = wire(new VmStop());
        stop.vm = name;
        stop.timeout = -1L;
        assertEquals("Error: timeout: must be 0 or more seconds", run(stop).error());
    }
}
