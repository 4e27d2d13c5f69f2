package org.widecloud.driver.kvm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;

/** The kvm driver as DS builds it, on libvirt's test hypervisor. */
class KvmDriverTest {
    static final HostEndpoint TEST_HOST = new HostEndpoint("h-t", "t", "test:///default");
    private final KvmDriver driver = new KvmDriver("auto", null);

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void testUrisGetTheTestDomainTypeAndTheRestOfTheXmlUnchanged() {
        assertEquals("kvm", driver.type());
        assertEquals("test", driver.flavourOf(TEST_HOST).domainType());
        VmSpec spec = spec();
        String xml = driver.domainXml(TEST_HOST, spec);
        assertTrue(xml.startsWith("<domain type=\"test\">"), xml);
        assertTrue(xml.contains("<driver name=\"qemu\" type=\"qcow2\"/>"), xml);
        assertTrue(xml.contains("<source bridge=\"br0\"/>"), xml);
        assertTrue(xml.contains("<console type=\"pty\">"), xml);
    }

    @Test
    void lifecycleWithEventsOnTheTestHypervisor() {
        Set<DomainState> seen = ConcurrentHashMap.newKeySet();
        VmSpec spec = spec();
        driver.addListener(TEST_HOST, (h, vm, state, detail) -> {
            if (vm.equals(spec.id())) {
                seen.add(state);
            }
        });
        driver.define(TEST_HOST, spec);
        try {
            driver.start(TEST_HOST, spec.id());
            assertEquals(DomainState.RUNNING, driver.state(TEST_HOST, spec.id()));
            assertTrue(driver.shutdown(TEST_HOST, spec.id(), Duration.ofSeconds(5)));
        } finally {
            driver.destroy(TEST_HOST, spec.id());
            driver.undefine(TEST_HOST, spec.id());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.containsAll(
                List.of(DomainState.RUNNING, DomainState.SHUTOFF, DomainState.MISSING)));
    }

    @Test
    void autoOnThisMachineFollowsItsCpuFlags() throws Exception {
        // STACK.md: this machine has /dev/kvm but no vmx/svm, so auto must pick qemu (TCG) here.
        boolean virt = CpuInfo.hasHardwareVirtualization(Path.of("/proc/cpuinfo"));
        String caps = DomainTypeChoiceTest.caps("capabilities-kvm.xml");
        String type = DomainTypeChoice.AUTO.domainType(new org.widecloud.driver.libvirt.HostProbe("qemu:///system",
                "QEMU", caps, true), () -> CpuInfo.hasHardwareVirtualization(Path.of("/proc/cpuinfo")));
        assertEquals(virt ? "kvm" : "qemu", type);
        if (Files.exists(Path.of("/dev/kvm")) && !virt) {
            assertEquals("qemu", type, "a /dev/kvm without vmx/svm must not make auto pick kvm");
        }
    }

    static VmSpec spec() {
        return new VmSpec(UUID.randomUUID().toString(), "kvm-" + UUID.randomUUID().toString().substring(0, 8), 1,
                128, VmSpec.Boot.disk(), List.of(VmSpec.Disk.file("/var/lib/widecloud/a.qcow2", "qcow2", false)),
                List.of(new VmSpec.NicSpec("52:54:00:aa:bb:01", "br0", null)));
    }
}
