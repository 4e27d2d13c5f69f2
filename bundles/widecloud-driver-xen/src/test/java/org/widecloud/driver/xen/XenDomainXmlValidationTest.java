package org.widecloud.driver.xen;


import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.DomainFlavour;
import org.widecloud.driver.libvirt.DomainXml;
import org.widecloud.driver.libvirt.LibvirtSchema;

/**
 * Every shape of domain XML the xen driver generates (PV with a kernel, PV through the bootloader, HVM from disk
 * and with a kernel; for domain type xen and libvirt's test type) passes libvirt's own schema
 * (virt-xml-validate). The schema is libvirt's, not libxl's: what libxl itself accepts only a Xen host shows.
 */
class XenDomainXmlValidationTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void validatorPresent() {
        LibvirtSchema.requireValidator();
    }

    static Stream<Arguments> shapes() {
        String id = UUID.randomUUID().toString();
        VmSpec.Boot kernel = new VmSpec.Boot("/srv/xen/vmlinuz", "/srv/xen/initrd.gz",
                "root=/dev/xvda1 console=hvc0 wc.name=a<b&c\"d' wc.ip=10.0.0.2/24");
        List<VmSpec.NicSpec> nics = List.of(new VmSpec.NicSpec("00:16:3e:00:00:01", "xenbr0", "virtio"),
                new VmSpec.NicSpec("00:16:3e:00:00:02", "wc-vx100", null));
        List<VmSpec.Disk> disks = List.of(VmSpec.Disk.file("/srv/xen/images/a&b.qcow2", "qcow2", false),
                new VmSpec.Disk("network", "iqn.2026-11.org.widecloud:wide/2", "raw", "iscsi",
                        List.of("[::1]:3260"), false),
                VmSpec.Disk.file("/srv/xen/seed.iso", "raw", true));
        VmSpec pvKernel = new VmSpec(id, "pv-<kernel>&'vm'", 1, 128, kernel, disks, nics);
        VmSpec pvTiny = new VmSpec(id, "tiny", 1, 64, new VmSpec.Boot("/k", null, null), List.of(), List.of());
        VmSpec diskBoot = new VmSpec(id, "disk-boot", 4, 4096, VmSpec.Boot.disk(), disks, nics);
        return Stream.of("xen", "test").flatMap(type -> Stream.of(
                Arguments.of(type + " PV kernel boot, file + iscsi + read-only disks, 2 NICs", pvKernel,
                        DomainFlavour.xenPv(type, "pygrub")),
                Arguments.of(type + " PV kernel boot, nothing else", pvTiny, DomainFlavour.xenPv(type, null)),
                Arguments.of(type + " PV disk boot through pygrub", diskBoot,
                        DomainFlavour.xenPv(type, "/usr/lib/xen-4.17/bin/pygrub")),
                Arguments.of(type + " HVM disk boot", diskBoot, DomainFlavour.xenHvm(type)),
                Arguments.of(type + " HVM kernel boot", pvKernel, DomainFlavour.xenHvm(type))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void validAgainstLibvirtsSchema(String shape, VmSpec spec, DomainFlavour flavour) throws Exception {
        String xml = DomainXml.build(spec, flavour);
        LibvirtSchema.assertValidDomain(shape, xml, tmp);
    }
}
