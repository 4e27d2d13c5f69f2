package org.widecloud.driver.xen;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.tck.HypervisorDriverContract;

/**
 * The driver TCK against a real Xen host, for machines that have one (none of the project's machines do, so CI
 * skips it too). Set {@code WIDECLOUD_XEN_URI} (e.g. {@code xen:///system} on a dom0, or
 * {@code xen+ssh://root@dom0/system}), {@code WIDECLOUD_XEN_KERNEL} and {@code WIDECLOUD_XEN_INITRD} (paths on
 * the Xen host of a small PV-capable kernel and initramfs, e.g. the lab guest of itests/lab/build-guest.sh);
 * optionally {@code WIDECLOUD_XEN_TARGET_URI} (a second Xen host for live migration) and
 * {@code WIDECLOUD_XEN_GRACEFUL=true} when the guest powers off on Xen's shutdown request.
 */
class XenHostTckTest extends HypervisorDriverContract {
    private static String uri;

    private final BreakableDriver driver = new BreakableDriver();

    @BeforeAll
    static void xenHost() {
        uri = System.getenv("WIDECLOUD_XEN_URI");
        assumeTrue(uri != null && !uri.isBlank(), "skipped: no Xen host here (set WIDECLOUD_XEN_URI, "
                + "WIDECLOUD_XEN_KERNEL and WIDECLOUD_XEN_INITRD to run the TCK on one)");
        assumeTrue(System.getenv("WIDECLOUD_XEN_KERNEL") != null, "skipped: WIDECLOUD_XEN_KERNEL is not set");
    }

    @Override
    protected void afterEachTest() {
        driver.close();
    }

    @Override
    protected HypervisorDriver driver() {
        return driver;
    }

    @Override
    protected HostEndpoint host() {
        return new HostEndpoint("xen-1", "xen-1", uri);
    }

    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 128, new VmSpec.Boot(
                System.getenv("WIDECLOUD_XEN_KERNEL"), System.getenv("WIDECLOUD_XEN_INITRD"),
                "console=hvc0 quiet wc.name=" + name), List.of(), List.of());
    }

    @Override
    protected boolean supportsGracefulShutdown() {
        return "true".equals(System.getenv("WIDECLOUD_XEN_GRACEFUL"));
    }

    @Override
    protected boolean breakConnection() {
        driver.breakConnection(host());
        return true;
    }

    @Override
    protected HostEndpoint migrationTarget() {
        String target = System.getenv("WIDECLOUD_XEN_TARGET_URI");
        return target == null || target.isBlank() ? null : new HostEndpoint("xen-2", "xen-2", target);
    }

    @Override
    protected String noMigrationTargetReason() {
        return "WIDECLOUD_XEN_TARGET_URI (a second Xen host) is not set";
    }

    static final class BreakableDriver extends XenDriver {
        BreakableDriver() {
            super("auto", "pygrub");
        }

        @Override
        public void breakConnection(HostEndpoint host) {
            super.breakConnection(host);
        }
    }
}
