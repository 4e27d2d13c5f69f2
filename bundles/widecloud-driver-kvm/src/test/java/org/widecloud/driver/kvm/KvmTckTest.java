package org.widecloud.driver.kvm;

import java.util.List;
import java.util.UUID;

import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.LibvirtDriver;
import org.widecloud.driver.libvirt.TestHypervisorTck;

/** The driver TCK against the kvm driver on libvirt's test hypervisor (always runs; needs only libvirt0). */
class KvmTckTest extends TestHypervisorTck {
    private static final HostEndpoint HOST = new HostEndpoint("tck-host", "tck", "test:///default");

    @Override
    protected LibvirtDriver newDriver() {
        return new KvmDriver("auto", null);
    }

    @Override
    protected HostEndpoint host() {
        return HOST;
    }

    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 64, new VmSpec.Boot("/var/lib/widecloud/vmlinuz",
                "/var/lib/widecloud/initrd.gz", "console=ttyS0"), List.of(),
                List.of(new VmSpec.NicSpec("52:54:00:12:34:56", "br0", "virtio")));
    }

    @Override
    protected String noMigrationTargetReason() {
        return "libvirt's test hypervisor cannot live-migrate (KvmLabTckTest and the lab itests cover real hosts)";
    }
}
