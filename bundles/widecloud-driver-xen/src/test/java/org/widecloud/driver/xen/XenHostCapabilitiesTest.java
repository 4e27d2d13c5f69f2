package org.widecloud.driver.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.driver.libvirt.DomainFlavour;
import org.widecloud.driver.libvirt.HostProbe;

/** What a Xen host's capabilities (libxl's, as on a dom0 with and without VT-x) make of each VM. */
class XenHostCapabilitiesTest {
    private XenDriver driver = new XenDriver("auto", "pygrub");

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aHostWithHvmRunsDiskImagesAsHvmAndKernelsAsPv() throws Exception {
        DomainFlavour base = driver.flavour(probe("capabilities-xen-hvm.xml"));
        assertEquals("xen", base.domainType());
        assertEquals("xen", base.osType());
        assertEquals("hvm", driver.flavourFor("xen:///system", "xen", XenDriverTest.diskSpec()).osType());
        assertEquals("xen", driver.flavourFor("xen:///system", "xen", XenDriverTest.kernelSpec()).osType());
    }

    @Test
    void aHostWithoutHvmRefusesHvmNamingTheSettingAndStillRunsPv() throws Exception {
        HostProbe probe = probe("capabilities-xen-pv-only.xml");
        assertTrue(probe.offers("xen", "xen"));
        driver.flavour(probe);
        DriverException e = assertThrows(DriverException.class,
                () -> driver.flavourFor("xen:///system", "xen", XenDriverTest.diskSpec()));
        assertTrue(e.getMessage().startsWith("guest.type: xen:///system cannot run HVM guests"), e.getMessage());
        assertEquals("xen", driver.flavourFor("xen:///system", "xen", XenDriverTest.kernelSpec()).osType());

        driver.close();
        driver = new XenDriver("pv", "pygrub");
        driver.flavour(probe);
        DomainFlavour pv = driver.flavourFor("xen:///system", "xen", XenDriverTest.diskSpec());
        assertEquals("pygrub", pv.bootloader(), "guest.type=pv boots disk images through pygrub there");
    }

    private static HostProbe probe(String resource) throws IOException {
        try (InputStream in = XenHostCapabilitiesTest.class.getResourceAsStream("/" + resource)) {
            return new HostProbe("xen:///system", "Xen", new String(in.readAllBytes(), StandardCharsets.UTF_8), true);
        }
    }
}
