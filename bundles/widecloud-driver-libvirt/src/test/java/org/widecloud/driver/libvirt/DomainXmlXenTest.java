package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.internal.SafeXml;

/** The Xen flavours of the shared domain XML: PV (kernel or bootloader), HVM; the QEMU shape is unchanged. */
class DomainXmlXenTest {
    private static final List<VmSpec.NicSpec> NICS = List.of(new VmSpec.NicSpec("00:16:3e:00:00:01", "xenbr0",
            "virtio"));
    private static final List<VmSpec.Disk> DISKS = List.of(VmSpec.Disk.file("/srv/xen/a.qcow2", "qcow2", false),
            VmSpec.Disk.file("/srv/xen/seed.iso", "raw", true));

    @Test
    void pvKernelBootHasThePvConsoleNetfrontAndXvdDisksButNoSerialNorAcpi() throws Exception {
        VmSpec spec = new VmSpec(id(), "pv-kernel", 1, 256, new VmSpec.Boot("/boot/vmlinuz", "/boot/initrd.gz",
                "root=/dev/xvda1 console=hvc0"), DISKS, NICS);
        Document d = parse(DomainXml.build(spec, DomainFlavour.xenPv("xen", "pygrub")));
        assertEquals("xen", x(d, "/domain/@type"));
        assertEquals("xen", x(d, "/domain/os/type"));
        assertEquals("/boot/vmlinuz", x(d, "/domain/os/kernel"));
        assertEquals("", x(d, "/domain/bootloader"), "a kernel of its own needs no bootloader");
        assertEquals("0", x(d, "count(/domain/features)"), "PV guests have no ACPI");
        assertEquals("xvda", x(d, "/domain/devices/disk[1]/target/@dev"));
        assertEquals("xen", x(d, "/domain/devices/disk[2]/target/@bus"));
        assertEquals("xvdb", x(d, "/domain/devices/disk[2]/target/@dev"));
        assertEquals("netfront", x(d, "/domain/devices/interface/model/@type"), "the spec's virtio means nothing to PV");
        assertEquals("xen", x(d, "/domain/devices/console/target/@type"));
        assertEquals("0", x(d, "count(/domain/devices/serial)"));
    }

    @Test
    void pvDiskBootStartsThroughTheBootloaderWithoutABootDevice() throws Exception {
        VmSpec spec = new VmSpec(id(), "pv-disk", 2, 512, VmSpec.Boot.disk(), DISKS, NICS);
        Document d = parse(DomainXml.build(spec, DomainFlavour.xenPv("xen", "/usr/lib/xen-4.17/bin/pygrub")));
        assertEquals("/usr/lib/xen-4.17/bin/pygrub", x(d, "/domain/bootloader"));
        assertEquals("xen", x(d, "/domain/os/type"));
        assertEquals("0", x(d, "count(/domain/os/boot)"));
        assertEquals("0", x(d, "count(/domain/os/kernel)"));
    }

    @Test
    void hvmHasAcpiASerialConsoleAndEmulatedNics() throws Exception {
        VmSpec spec = new VmSpec(id(), "hvm-disk", 2, 1024, VmSpec.Boot.disk(), DISKS, NICS);
        Document d = parse(DomainXml.build(spec, DomainFlavour.xenHvm("xen")));
        assertEquals("hvm", x(d, "/domain/os/type"));
        assertEquals("hd", x(d, "/domain/os/boot/@dev"));
        assertEquals("1", x(d, "count(/domain/features/acpi)"));
        assertEquals("xvda", x(d, "/domain/devices/disk[1]/target/@dev"));
        assertEquals("e1000", x(d, "/domain/devices/interface/model/@type"));
        assertEquals("serial", x(d, "/domain/devices/console/target/@type"));
        assertEquals("1", x(d, "count(/domain/devices/serial)"));
        assertEquals("", x(d, "/domain/bootloader"));
    }

    @Test
    void qemuShapeKeepsTheSpecsNicModelAndSerialConsole() throws Exception {
        VmSpec spec = new VmSpec(id(), "q", 1, 64, VmSpec.Boot.disk(), DISKS, NICS);
        Document d = parse(DomainXml.build(spec, DomainFlavour.qemu("kvm", null)));
        assertEquals("virtio", x(d, "/domain/devices/interface/model/@type"));
        assertEquals("serial", x(d, "/domain/devices/console/target/@type"));
        assertEquals("", x(d, "/domain/bootloader"));
    }

    @Test
    void bootloaderIsEscapedAndControlCharactersRefused() throws Exception {
        VmSpec spec = new VmSpec(id(), "pv", 1, 64, VmSpec.Boot.disk(), DISKS, NICS);
        String xml = DomainXml.build(spec, DomainFlavour.xenPv("xen", "/opt/a<b&c"));
        assertTrue(xml.contains("<bootloader>/opt/a&lt;b&amp;c</bootloader>"), xml);
        DriverException e = assertThrows(DriverException.class,
                () -> DomainXml.build(spec, DomainFlavour.xenPv("xen", "pygrub\u0001")));
        assertTrue(e.getMessage().startsWith("bootloader:"), e.getMessage());
    }

    @Test
    void thePvConsoleHasNoLogFile() {
        assertThrows(IllegalArgumentException.class, () -> new DomainFlavour("xen", "xen", null, null, "qemu", "xen",
                false, "/var/log/x", "netfront", DomainFlavour.Console.XEN, null));
        assertFalse(DomainFlavour.xenPv("xen", null).acpi());
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static Document parse(String xml) throws Exception {
        return SafeXml.builder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String x(Document d, String path) throws Exception {
        Object v = XPathFactory.newInstance().newXPath().evaluate(path, d, XPathConstants.STRING);
        String s = String.valueOf(v);
        return s.endsWith(".0") && path.startsWith("count(") ? s.substring(0, s.length() - 2) : s.trim();
    }
}
