package org.widecloud.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.service.Requests;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.store.CloudStore;
import org.widecloud.driver.kvm.KvmDriver;
import org.widecloud.driver.kvm.TwoSiteLab;
import org.widecloud.driver.libvirt.DomainXml;
import org.widecloud.executor.HostExecutorsService;
import org.widecloud.mobility.vxlan.VxlanBackend;
import org.widecloud.store.jdbc.JdbcCloudStore;

/**
 * The real controller on the two-site lab (which must be up, without its static stretch): core wired by hand on an
 * H2 store in {@code folder}, the KVM driver (TCG guests), the VXLAN backend through the {@code netns:} executor,
 * sites campus-a/campus-b with hosts site-a/site-b and lab-net (10.10.0.0/24, fd00:10::/64, VNI 4343, home site
 * A). For the lab test and the migration benchmark (published in core's test jar). Closing deletes its VMs.
 */
public final class TwoSiteCore implements AutoCloseable {
    public static final String USER = "lab";

    public final JdbcCloudStore store;
    public final KvmDriver driver;
    public final HostExecutorsService executors;
    public final CoreFixture core;
    public final Host a;
    public final Host b;

    private final Path consoles;

    public TwoSiteCore(Path folder) {
        consoles = folder.resolve("consoles");
        try {
            java.nio.file.Files.createDirectories(consoles);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store = JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.toString()), null, null, 4);
        // Lab guests run under TCG: through a TCP URI the driver cannot read the host's CPU flags. Their consoles
        // go to files, so that a guest that stops answering can say why.
        driver = new KvmDriver("qemu", consoles.toString());
        executors = new HostExecutorsService(null, null, true, Duration.ofSeconds(5), Duration.ofSeconds(30));
        core = new CoreFixture(store).withDriver(driver);
        core.drivers.addMobility(new VxlanBackend(executors, core.hosts));
        core.sites.create(USER, new Requests.SiteCreate("campus-a", null));
        core.sites.create(USER, new Requests.SiteCreate("campus-b", null));
        a = core.hosts.create(USER, host("site-a", "campus-a", TwoSiteLab.SITE_A));
        b = core.hosts.create(USER, host("site-b", "campus-b", TwoSiteLab.SITE_B));
        core.networks.create(USER, new Requests.NetworkCreate("lab-net", "10.10.0.0/24", "fd00:10::/64", "vxlan",
                "br0", Map.of("vni", "4343", "home", TwoSiteLab.SITE_A.address())));
    }

    private static Requests.HostCreate host(String name, String site, HostEndpoint lab) {
        return new Requests.HostCreate(name, site, "kvm", lab.uri(), lab.address(), lab.executor());
    }

    /** A running guest at site A with fixed addresses on lab-net; its kernel command line carries them. */
    public Vm guestAtSiteA(TwoSiteLab lab) throws Exception {
        int n = ThreadLocalRandom.current().nextInt(10, 250);
        String ip = "10.10.0." + n;
        String ip6 = "fd00:10::" + Integer.toHexString(n);
        String name = "lab-" + n + "-" + Long.toHexString(System.nanoTime() & 0xffff);
        core.images.create(USER, new Requests.ImageCreate(name, null, null, lab.guestDir.resolve("vmlinuz").toString(),
                lab.guestDir.resolve("initrd.gz").toString(), "console=ttyS0 quiet wc.name=" + name + " wc.ip=" + ip
                        + "/24 wc.gw=10.10.0.1 wc.ip6=" + ip6 + "/64 wc.gw6=fd00:10::1"));
        Job j = finished(core.vms.create(USER, new Requests.VmCreate(name, "site-a", null, 1, 128L, name,
                List.of(new Requests.NicRequest("lab-net", ip, ip6, null)), true)));
        if (j.state() != JobState.SUCCEEDED) {
            throw new IllegalStateException("creating " + name + " failed: " + j.error());
        }
        return core.vms.get(name);
    }

    /** Migrates through the VM service (as REST and the shell do) with a max downtime of 30 ms; waits for the job. */
    public Job migrate(String vm, String host) throws InterruptedException {
        return finished(core.vms.migrate(USER, vm, new Requests.VmMigrate(host, null, 30, null, null, null, null, 120)));
    }

    /** Waits up to 3 minutes for a job to end. */
    public Job finished(Job job) throws InterruptedException {
        Job j = core.jobs.await(job.id(), Duration.ofMinutes(3));
        if (!j.isDone()) {
            throw new IllegalStateException("job did not end in 3 minutes: " + j);
        }
        return j;
    }

    /** The guest's console log; each migration's target QEMU starts it anew. */
    public Path console(Vm vm) {
        return Path.of(DomainXml.consoleLog(consoles.toString(), vm.id()));
    }

    /** The VM's latest migration, as the API lists it. */
    public Migration lastMigration(Vm vm) {
        return core.saga.list(vm, PageRequest.of(0, 1)).items().get(0);
    }

    @Override
    public void close() throws Exception {
        try {
            for (Vm vm : store.vms(PageRequest.all(), CloudStore.VmFilter.none()).items()) {
                Job j = core.jobs.await(core.vms.delete(USER, vm.id()).id(), Duration.ofSeconds(60));
                if (j.state() != JobState.SUCCEEDED) {
                    System.out.println("cleanup of " + vm.name() + ": " + j.error());
                }
            }
        } finally {
            core.close();
            driver.close();
            executors.close();
            store.close();
        }
    }
}
