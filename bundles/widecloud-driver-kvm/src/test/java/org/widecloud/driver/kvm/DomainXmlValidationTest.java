package org.widecloud.driver.kvm;


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

/** Every shape of domain XML the kvm driver generates passes libvirt's own schema (virt-xml-validate). */
class DomainXmlValidationTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void validatorPresent() {
        LibvirtSchema.requireValidator();
    }

    static Stream<Arguments> shapes() {
        String id = UUID.randomUUID().toString();
        VmSpec.Boot kernel = new VmSpec.Boot("/var/tmp/widecloud-lab/guest/vmlinuz",
                "/var/tmp/widecloud-lab/guest/initrd.gz", "console=ttyS0 wc.name=a<b&c\"d' wc.ip=10.0.0.2/24");
        List<VmSpec.NicSpec> nics = List.of(new VmSpec.NicSpec("52:54:00:00:00:01", "br0", null),
                new VmSpec.NicSpec("52:54:00:00:00:02", "wc-vx100", "e1000"));
        List<VmSpec.Disk> disks = List.of(VmSpec.Disk.file("/var/lib/widecloud/images/a&b.qcow2", "qcow2", false),
                new VmSpec.Disk("network", "iqn.2026-11.org.widecloud:site-a/1", "raw", "iscsi",
                        List.of("[::1]:3260"), false),
                new VmSpec.Disk("network", "iqn.2026-11.org.widecloud:wide/2", "raw", "iscsi",
                        List.of("127.0.0.1:3260"), false),
                VmSpec.Disk.file("/var/lib/widecloud/seed.iso", "raw", true));
        VmSpec kernelBoot = new VmSpec(id, "kernel-<boot>&'vm'", 1, 128, kernel, List.of(), nics);
        VmSpec kernelNoNics = new VmSpec(id, "tiny", 1, 128, new VmSpec.Boot("/k", null, null), List.of(), List.of());
        VmSpec diskBoot = new VmSpec(id, "disk-boot", 4, 4096, VmSpec.Boot.disk(), disks, nics);
        VmSpec kernelWithDisks = new VmSpec(id, "kernel-disks", 2, 512, kernel, disks, nics.subList(0, 1));
        return Stream.of("kvm", "qemu", "test").flatMap(type -> Stream.of(
                Arguments.of(type + " kernel boot, 2 NICs", kernelBoot, DomainFlavour.qemu(type, null)),
                Arguments.of(type + " kernel boot, no NIC, console log", kernelNoNics,
                        DomainFlavour.qemu(type, "/var/log/widecloud/console")),
                Arguments.of(type + " disk boot, file + iscsi + read-only disks, 2 NICs", diskBoot,
                        DomainFlavour.qemu(type, null)),
                Arguments.of(type + " kernel boot with disks", kernelWithDisks, DomainFlavour.qemu(type, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void validAgainstLibvirtsSchema(String shape, VmSpec spec, DomainFlavour flavour) throws Exception {
        String xml = DomainXml.build(spec, flavour);
        LibvirtSchema.assertValidDomain(shape, xml, tmp);
    }
}
