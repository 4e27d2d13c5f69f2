package org.widecloud.driver.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.DomainFlavour;

/** The xen driver as DS builds it: the guest type per VM, and its XML on libvirt's test hypervisor. */
class XenDriverTest {
    static final HostEndpoint TEST_HOST = new HostEndpoint("h-x", "x", "test:///default");
    private XenDriver driver = new XenDriver("auto", "pygrub");

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void autoMakesKernelImagesPvAndDiskImagesHvm() {
        assertEquals("xen", driver.type());
        DomainFlavour pv = driver.flavourFor(TEST_HOST, kernelSpec());
        assertEquals("test", pv.domainType(), "test: URIs get libvirt's test domain type");
        assertEquals("xen", pv.osType());
        DomainFlavour hvm = driver.flavourFor(TEST_HOST, diskSpec());
        assertEquals("hvm", hvm.osType());
        assertEquals("test", hvm.domainType());
    }

    @Test
    void forcedPvBootsDiskImagesThroughTheBootloader() {
        driver.close();
        driver = new XenDriver("pv", "/usr/lib/xen-4.17/bin/pygrub");
        String xml = driver.domainXml(TEST_HOST, diskSpec());
        assertTrue(xml.contains("<bootloader>/usr/lib/xen-4.17/bin/pygrub</bootloader>"), xml);
        assertTrue(xml.contains("<type>xen</type>"), xml);
        assertFalse(xml.contains("<boot "), xml);
    }

    @Test
    void forcedHvmBootsKernelImagesDirectly() {
        driver.close();
        driver = new XenDriver("hvm", "pygrub");
        String xml = driver.domainXml(TEST_HOST, kernelSpec());
        assertTrue(xml.contains("<type>hvm</type>"), xml);
        assertTrue(xml.contains("<kernel>/srv/xen/vmlinuz</kernel>"), xml);
        assertTrue(xml.contains("<acpi/>"), xml);
    }

    @Test
    void pvDiskBootWithoutBootloaderIsRefusedNamingTheSetting() {
        driver.close();
        driver = new XenDriver("pv", "");
        VmSpec spec = diskSpec();
        DriverException e = assertThrows(DriverException.class, () -> driver.define(TEST_HOST, spec));
        assertTrue(e.getMessage().startsWith("pv.bootloader:"), e.getMessage());
        assertEquals(DomainState.MISSING, driver.state(TEST_HOST, spec.id()), "nothing defined");
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new XenDriver("pvh", null));
        assertTrue(e.getMessage().startsWith("guest.type:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new XenDriver("auto", "pygrub; rm -rf /"));
        assertTrue(e.getMessage().startsWith("pv.bootloader:"), e.getMessage());
    }

    @Test
    void pvAndHvmGuestsDefineAndRunOnTheTestHypervisor() {
        for (VmSpec spec : List.of(kernelSpec(), diskSpec())) {
            driver.define(TEST_HOST, spec);
            try {
                driver.start(TEST_HOST, spec.id());
                assertEquals(DomainState.RUNNING, driver.state(TEST_HOST, spec.id()));
            } finally {
                driver.destroy(TEST_HOST, spec.id());
                driver.undefine(TEST_HOST, spec.id());
            }
        }
    }

    static VmSpec kernelSpec() {
        return new VmSpec(UUID.randomUUID().toString(), "xen-pv-" + UUID.randomUUID().toString().substring(0, 8), 1,
                128, new VmSpec.Boot("/srv/xen/vmlinuz", "/srv/xen/initrd.gz", "console=hvc0"), List.of(),
                List.of(new VmSpec.NicSpec("00:16:3e:aa:bb:01", "xenbr0", "virtio")));
    }

    static VmSpec diskSpec() {
        return new VmSpec(UUID.randomUUID().toString(), "xen-hvm-" + UUID.randomUUID().toString().substring(0, 8), 2,
                512, VmSpec.Boot.disk(), List.of(VmSpec.Disk.file("/srv/xen/disk.qcow2", "qcow2", false)),
                List.of(new VmSpec.NicSpec("00:16:3e:aa:bb:02", "xenbr0", "virtio")));
    }
}
