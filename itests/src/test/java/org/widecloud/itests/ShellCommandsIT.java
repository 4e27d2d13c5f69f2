package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The {@code cloud:*} shell commands in the booted distribution: create, list, show (tables and
 * {@code --no-format}), VM lifecycle with the progress line, clean one-line errors. What the shell creates is
 * checked through REST too: both front ends see the same core.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends WidecloudTestSupport {

    @Before
    public void commandsAndTestHostAreThere() {
        await(BOOT_TIMEOUT).until(() -> !executeCommand("cloud:site-list --no-format").contains("Error"));
        // libvirt's test hypervisor is one host per URI: both tests share the one made here, by the shell.
        if (call("GET", "/hosts/shell-host", null).status() == 404) {
            String site = executeCommand("cloud:site-create --description \"made by the shell\" shell-site");
            assertTrue(site, site.contains("shell-site"));
            String host = executeCommand("cloud:host-create --site shell-site --driver kvm --uri test:///default shell-host");
            assertTrue(host, host.contains("shell-host") && !host.contains("Error"));
        }
        await(Duration.ofSeconds(30)).until(() -> executeCommand("cloud:host-show shell-host").contains("UP"));
    }

    @Test
    public void inventoryCommands() {
        List<String> rows = lines(executeCommand("cloud:site-list --no-format"));
        assertTrue(rows.toString(), rows.stream().anyMatch(r -> r.contains("shell-site")));
        assertTrue("--no-format prints no table borders: " + rows, rows.stream().noneMatch(r -> r.contains("─")
                || r.contains("-+-")));
        String show = executeCommand("cloud:site-show shell-site");
        assertTrue(show, show.contains("made by the shell"));

        String hosts = executeCommand("cloud:host-list --no-format");
        assertTrue(hosts, hosts.contains("shell-host") && hosts.contains("test:///default"));

        executeCommand("cloud:network-create --ipv4 10.40.0.0/24 --ipv6 fd00:40::/64 shell-net");
        String net = executeCommand("cloud:network-show shell-net");
        assertTrue(net, net.contains("10.40.0.0/24") && net.contains("fd00:40::/64"));
        executeCommand("cloud:image-create --kernel /var/tmp/widecloud-itest/vmlinuz"
                + " --initrd /var/tmp/widecloud-itest/initrd.gz --cmdline console=ttyS0 shell-img");
        assertTrue(executeCommand("cloud:image-list --no-format").contains("shell-img"));

        assertEquals("the shell's site is the REST API's site", "made by the shell",
                get("/sites/shell-site").get("description").asText());
        assertEquals("10.40.0.0/24", get("/networks/shell-net").get("ipv4Prefix").asText());
    }

    @Test
    public void vmLifecycleWithProgressAndErrors() {
        executeCommand("cloud:network-create --ipv4 10.41.0.0/24 shvm-net");
        executeCommand("cloud:image-create --path " + sampleDisk() + " --format qcow2 shvm-img");

        String create = executeCommand("cloud:vm-create --vcpus 1 --memory 64 --image shvm-img"
                + " --nic shvm-net,ipv4=10.41.0.7 --host shell-host --start shell-vm");
        assertTrue("the job ran to its end: " + create, create.contains("SUCCEEDED"));
        assertEquals("RUNNING", get("/vms/shell-vm").get("state").asText());
        assertEquals("10.41.0.7", get("/vms/shell-vm").get("nics").get(0).get("ipv4").asText());

        List<String> vms = lines(executeCommand("cloud:vm-list --no-format"));
        assertTrue(vms.toString(), vms.stream().anyMatch(r -> r.contains("shell-vm") && r.contains("RUNNING")));
        String show = executeCommand("cloud:vm-show shell-vm");
        assertTrue(show, show.contains("shell-vm") && show.contains("10.41.0.7"));

        assertTrue(executeCommand("cloud:vm-stop shell-vm").contains("SUCCEEDED"));
        assertEquals("STOPPED", get("/vms/shell-vm").get("state").asText());
        assertTrue(executeCommand("cloud:vm-start shell-vm").contains("SUCCEEDED"));
        assertTrue(executeCommand("cloud:vm-destroy shell-vm").contains("SUCCEEDED"));
        String async = executeCommand("cloud:vm-start --async shell-vm").trim();
        assertFalse("--async prints the job id: " + async, async.isEmpty());
        String waited = executeCommand("cloud:job-wait " + lastWord(async));
        assertTrue(waited, waited.contains("SUCCEEDED"));
        assertTrue(executeCommand("cloud:job-list --no-format").contains("vm.start"));
        assertTrue(executeCommand("cloud:driver-list --no-format").contains("kvm"));

        String bad = executeCommand("cloud:site-create \"two words\"");
        assertTrue("one clean error line: " + bad, bad.contains("Error:") && !bad.contains("Exception")
                && !bad.contains("\tat "));
        String duplicate = executeCommand("cloud:vm-create --vcpus 1 --memory 64 --image shvm-img"
                + " --host shell-host shell-vm");
        assertTrue(duplicate, duplicate.contains("Error:") && duplicate.contains("exists"));
        String inUse = executeCommand("cloud:network-delete shvm-net");
        assertTrue(inUse, inUse.contains("Error:"));

        assertTrue(executeCommand("cloud:vm-destroy shell-vm").contains("SUCCEEDED"));
        assertTrue(executeCommand("cloud:vm-delete shell-vm").contains("SUCCEEDED"));
        call("GET", "/vms/shell-vm", null).expect(404);
        String audit = executeCommand("cloud:audit-list --no-format --limit 500");
        assertTrue(audit, audit.contains("vm.delete"));
    }

    @Test
    public void storageCommands() {
        String pool = executeCommand("cloud:pool-create --backend local --site shell-site"
                + " --param path=/var/tmp/widecloud-itest/pools/sh-pool sh-pool");
        assertTrue(pool, pool.contains("ACTIVE") && !pool.contains("Error"));
        String volume = executeCommand("cloud:volume-create --pool sh-pool --host shell-host --size 1M sh-vol");
        assertTrue(volume, volume.contains("1048576") && !volume.contains("Error"));
        assertTrue(executeCommand("cloud:volume-list --no-format --pool sh-pool").contains("sh-vol"));
        assertTrue(executeCommand("cloud:pool-list --no-format --site shell-site").contains("sh-pool"));
        String bad = executeCommand("cloud:volume-create --pool sh-pool --host shell-host --size lots sh-bad");
        assertTrue(bad, bad.contains("Error: size:"));

        String imported = executeCommand("cloud:image-import --path " + sampleDisk() + " sh-import");
        assertTrue(imported, imported.contains("qcow2") && imported.contains("sha256:"));
        assertEquals("qcow2", get("/images/sh-import").get("format").asText());

        assertTrue(executeCommand("cloud:volume-delete sh-vol").contains("deleted"));
        assertTrue(executeCommand("cloud:pool-delete sh-pool").contains("deleted"));
        assertTrue(executeCommand("cloud:image-delete sh-import").contains("deleted"));
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\\R")).filter(l -> !l.isBlank()).toList();
    }

    private static String lastWord(String s) {
        String[] words = s.trim().split("\\s+");
        return words[words.length - 1];
    }
}
