package org.widecloud.driver.libvirt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.libvirt.Connect;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.driver.tck.HypervisorDriverContract;

/**
 * The driver TCK for a libvirt-based driver on libvirt's built-in test hypervisor ({@code test:///default}): the
 * kvm and xen drivers' tests extend it and give the driver, the host and the VM spec. The connection drop is the
 * shared code's test hook; the test hypervisor cannot live-migrate.
 */
public abstract class TestHypervisorTck extends HypervisorDriverContract {
    /**
     * test:///default forgets its domains when the last connection of the process closes; this one stays open so
     * that, like a real daemon, the host keeps its VMs while the driver's own connection is broken.
     */
    private static Connect keepState;

    private LibvirtDriver driver;

    /** A new driver of the kind under test. */
    protected abstract LibvirtDriver newDriver();

    @BeforeAll
    static void keepTestHypervisorState() throws Exception {
        keepState = new Connect("test:///default", false);
    }

    @AfterAll
    static void releaseTestHypervisorState() throws Exception {
        keepState.close();
    }

    @Override
    protected HypervisorDriver driver() {
        if (driver == null) {
            driver = newDriver();
        }
        return driver;
    }

    @Override
    protected void afterEachTest() {
        if (driver != null) {
            driver.close();
        }
    }

    @Override
    protected boolean breakConnection() {
        ((LibvirtDriver) driver()).breakConnection(host());
        return true;
    }
}
