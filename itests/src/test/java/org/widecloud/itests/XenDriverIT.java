package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hypervisor drivers installed into and removed from the running distribution (one container for the class):
 * the xen driver (an installed, not booted, feature of the distribution) is hot-installed, runs a PV and an HVM
 * guest on libvirt's test hypervisor, is uninstalled while they run (they stay; operations answer 409 "no
 * hypervisor driver 'xen' installed") and installed again (operations work again on the same VMs). And a
 * vendor's driver bundle built outside widecloud (itests/sample-driver, {@code hypervisor=sample}) installs
 * from its Maven URL and serves VMs through REST.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class XenDriverIT extends WidecloudTestSupport {

    private static final String XEN_FEATURE = "widecloud-driver-xen";
    private static final String SAMPLE_BUNDLE = "mvn:com.example.widecloud/com.example.widecloud.driver.sample/1.0.0";

    /**
     * The vendor's repository (Maven layout, filled by the build from sample-driver) as one more of pax-url's
     * default repositories: artifacts are read in place, not cached in a local repository.
     */
    @Override
    protected Option[] extraOptions() {
        String vendorRepo = new File(System.getProperty("widecloud.vendorRepo", "target/vendor-repo")).toURI()
                .toString();
        return new Option[] {editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                "org.ops4j.pax.url.mvn.defaultRepositories",
                "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots, "
                        + "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots, "
                        + vendorRepo + "@id=vendor")};
    }

    @Test
    public void xenDriverInstallsRunsVmsAndSwapsWhileTheyRun() throws Exception {
        FeaturesService features = service(FeaturesService.class, null, BOOT_TIMEOUT);
        awaitApi();
        assertFalse("the xen driver is not a boot feature", features.isInstalled(features.getFeature(XEN_FEATURE)));
        assertFalse(get("/drivers").toString().contains("\"xen\""));

        call("POST", "/sites", json("name", "xen-site")).expect(201);
        // libvirt's test hypervisor forgets its domains when the last connection of the process closes, which a
        // real Xen host does not: a kvm host on the same test hypervisor keeps a connection while xen is away.
        call("POST", "/hosts", json("name", "xen-keeper", "site", "xen-site", "driver", "kvm",
                "uri", "test:///default?keep-state")).expect(201);
        call("POST", "/hosts", json("name", "xen-1", "site", "xen-site", "driver", "xen", "uri", "test:///default"))
                .expect(201);
        assertEquals("registered before its driver exists", "NO_DRIVER", hostState("xen-1"));

        install();
        assertTrue("default configuration installed with the feature",
                Files.exists(Path.of(System.getProperty("karaf.etc"), "org.widecloud.driver.xen.cfg")));

        call("POST", "/networks", json("name", "xen-net", "ipv4Prefix", "10.61.0.0/24")).expect(201);
        call("POST", "/images", json("name", "xen-kernel", "kernel", "/srv/xen/vmlinuz", "initrd",
                "/srv/xen/initrd.gz", "cmdline", "console=hvc0")).expect(201);
        call("POST", "/images", json("name", "xen-disk", "path", sampleDisk())).expect(201);
        // guest.type=auto: the kernel image makes a PV guest, the disk image an HVM guest
        for (String[] vm : new String[][] {{"xen-pv", "xen-kernel"}, {"xen-hvm", "xen-disk"}}) {
            succeeded("POST", "/vms", json("name", vm[0], "host", "xen-1", "vcpus", 1, "memoryMiB", 128,
                    "image", vm[1], "nics", List.of(Map.of("network", "xen-net"))));
            succeeded("POST", "/vms/" + vm[0] + "/start", null);
            assertEquals("RUNNING", vmState(vm[0]));
        }
        long vms = get("/vms?limit=1").get("total").asLong();

        String out = executeCommand("feature:uninstall " + XEN_FEATURE, Duration.ofMinutes(2));
        assertFalse(out, out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> "NO_DRIVER".equals(hostState("xen-1")));
        assertFalse("xen is not listed any more", get("/drivers").toString().contains("\"xen\""));
        // (start is refused first for the state: the VM is running)
        for (String op : List.of("stop", "reboot", "destroy")) {
            Response refused = call("POST", "/vms/xen-pv/" + op, null);
            assertEquals(refused.toString(), 409, refused.status());
            assertTrue(refused.toString(), refused.json().path("detail").asText()
                    .contains("no hypervisor driver 'xen' installed"));
        }
        assertEquals(409, call("POST", "/vms", json("name", "xen-3", "host", "xen-1", "vcpus", 1, "memoryMiB", 64,
                "image", "xen-kernel", "nics", List.of())).status());
        assertEquals("nothing deleted", vms, get("/vms?limit=1").get("total").asLong());
        assertEquals("RUNNING", vmState("xen-pv"));
        assertEquals("RUNNING", vmState("xen-hvm"));

        install();
        // The guests ran on without their driver: the driver finds them and acts on them again.
        await(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(vmState("xen-pv")));
        succeeded("POST", "/vms/xen-pv/stop", null);
        assertEquals("STOPPED", vmState("xen-pv"));
        succeeded("POST", "/vms/xen-hvm/reboot", null);
        succeeded("POST", "/vms/xen-hvm/destroy", null);
        assertEquals("STOPPED", vmState("xen-hvm"));
        for (String vm : List.of("xen-pv", "xen-hvm")) {
            succeeded("DELETE", "/vms/" + vm, null);
            call("GET", "/vms/" + vm, null).expect(404);
        }
    }

    @Test
    public void aVendorDriverBuiltOutsideInstallsFromItsMavenUrl() {
        awaitApi();
        String out = executeCommand("bundle:install -s " + SAMPLE_BUNDLE, Duration.ofMinutes(2));
        Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(out);
        assertTrue("bundle:install: " + out, id.find());
        Bundle bundle = bundleContext.getBundle(Long.parseLong(id.group(1)));
        assertEquals(Bundle.ACTIVE, bundle.getState());
        await(Duration.ofSeconds(30)).until(() -> get("/drivers").toString().contains("\"sample\""));

        call("POST", "/sites", json("name", "vendor-site")).expect(201);
        JsonNode host = call("POST", "/hosts", json("name", "vendor-1", "site", "vendor-site", "driver", "sample",
                "uri", "sample://vendor-1")).expect(201).json();
        await(Duration.ofSeconds(30)).until(() -> "UP".equals(hostState("vendor-1")));
        JsonNode facts = get("/hosts/vendor-1");
        assertEquals("facts come from the vendor's driver: " + facts, 4, facts.get("cpus").asInt());
        assertEquals(8192, facts.get("memoryMiB").asLong());
        assertEquals("1.0.0", facts.get("hypervisorVersion").asText());
        call("POST", "/images", json("name", "vendor-img", "path", sampleDisk())).expect(201);
        succeeded("POST", "/vms", json("name", "vendor-vm", "host", "vendor-1", "vcpus", 2, "memoryMiB", 256,
                "image", "vendor-img", "nics", List.of()));
        assertEquals(host.get("id").asText(), get("/vms/vendor-vm").get("host").asText());
        succeeded("POST", "/vms/vendor-vm/start", null);
        assertEquals("RUNNING", vmState("vendor-vm"));
        succeeded("POST", "/vms/vendor-vm/stop", null);
        assertEquals("STOPPED", vmState("vendor-vm"));
        succeeded("DELETE", "/vms/vendor-vm", null);

        out = executeCommand("bundle:uninstall " + id.group(1), Duration.ofMinutes(1));
        assertFalse(out, out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> "NO_DRIVER".equals(hostState("vendor-1")));
    }

    private void install() {
        String out = executeCommand("feature:install " + XEN_FEATURE, Duration.ofMinutes(2));
        assertFalse(out, out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> get("/drivers").toString().contains("\"xen\""));
        await(Duration.ofSeconds(60)).until(() -> "UP".equals(hostState("xen-1")));
    }

    private void awaitApi() {
        await(BOOT_TIMEOUT).until(() -> call("GET", "/sites", null).status() == 200);
    }

    private String hostState(String host) {
        return get("/hosts/" + host).get("state").asText();
    }

    private String vmState(String vm) {
        return get("/vms/" + vm).get("state").asText();
    }
}
