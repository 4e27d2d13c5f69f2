package org.widecloud.driver.kvm;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.libvirt.Connect;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.tck.HypervisorDriverContract;

/** The driver TCK against the kvm driver on libvirt's test hypervisor (always runs; needs only libvirt0). */
class KvmTckTest extends HypervisorDriverContract {
    private static final HostEndpoint HOST = new HostEndpoint("tck-host", "tck", "test:///default");
    /**
     * test:///default forgets its domains when the last connection of the process closes; this one stays open so
     * that, like a real daemon, the host keeps its VMs while the driver's own connection is broken.
     */
    private static Connect keepState;

    private final BreakableKvmDriver driver = new BreakableKvmDriver();

    @BeforeAll
    static void keepTestHypervisorState() throws Exception {
        keepState = new Connect("test:///default", false);
    }

    @AfterAll
    static void release() throws Exception {
        keepState.close();
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
        return HOST;
    }

    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 64, new VmSpec.Boot("/var/lib/widecloud/vmlinuz",
                "/var/lib/widecloud/initrd.gz", "console=ttyS0"), List.of(),
                List.of(new VmSpec.NicSpec("52:54:00:12:34:56", "br0", "virtio")));
    }

    @Override
    protected boolean breakConnection() {
        driver.breakConnection(HOST);
        return true;
    }

    @Override
    protected String noMigrationTargetReason() {
        return "libvirt's test hypervisor cannot live-migrate (KvmLabTckTest and the lab itests cover real hosts)";
    }

    /** The kvm driver with the test hook of the shared libvirt code opened up. */
    static final class BreakableKvmDriver extends KvmDriver {
        BreakableKvmDriver() {
            super("auto", null);
        }

        @Override
        public void breakConnection(HostEndpoint host) {
            super.breakConnection(host);
        }
    }
}
