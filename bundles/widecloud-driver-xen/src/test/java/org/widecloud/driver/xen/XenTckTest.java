package org.widecloud.driver.xen;

import java.util.List;
import java.util.UUID;

import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.LibvirtDriver;
import org.widecloud.driver.libvirt.TestHypervisorTck;

/**
 * The driver TCK against the xen driver on libvirt's test hypervisor, with the Xen XML this driver defines (PV
 * guests here, HVM guests in {@link XenHvmTckTest}); only the domain type is libvirt's {@code test}.
 *
 * <p>What this exercises: the driver's XML is accepted by libvirt's parser for Xen guest types, and the whole
 * lifecycle, states, events, error handling and reconnect of the driver run against a real libvirt. What only a
 * real Xen host (dom0 with libvirt's libxl driver, {@link XenHostTckTest}) exercises: that libxl accepts and
 * boots the XML (PV kernel boot, pygrub, qdisk disks, netfront/vif on a bridge, HVM through QEMU), graceful
 * shutdown through Xen's PV control path, libxl's own events and error messages, facts read from Xen, and live
 * migration between two Xen hosts (the test hypervisor cannot migrate).
 */
class XenTckTest extends TestHypervisorTck {
    static final HostEndpoint HOST = new HostEndpoint("xen-tck", "xen-tck", "test:///default");

    @Override
    protected LibvirtDriver newDriver() {
        return new XenDriver("auto", "pygrub");
    }

    @Override
    protected HostEndpoint host() {
        return HOST;
    }

    /** A PV guest under guest.type=auto: it brings its own kernel. */
    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 128, new VmSpec.Boot("/srv/xen/vmlinuz",
                "/srv/xen/initrd.gz", "console=hvc0"), List.of(),
                List.of(new VmSpec.NicSpec("00:16:3e:12:34:56", "xenbr0", "virtio")));
    }

    @Override
    protected String noMigrationTargetReason() {
        return "libvirt's test hypervisor cannot migrate; live migration needs two real Xen hosts (XenHostTckTest "
                + "with WIDECLOUD_XEN_TARGET_URI)";
    }
}
