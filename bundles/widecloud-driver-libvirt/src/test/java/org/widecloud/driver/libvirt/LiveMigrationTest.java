package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.VmSpec;

/**
 * Migration's flags, checks and failure reports, against libvirt's test hypervisor as the source (it cannot
 * migrate; the real migrations run in driver-kvm's KvmMigrationLabTest).
 */
class LiveMigrationTest {
    static final HostEndpoint SOURCE = LibvirtDriverTest.HOST;
    /** Nothing listens on port 1 of loopback: the target's libvirtd is "down". */
    static final HostEndpoint DOWN = new HostEndpoint("h-2", "down-host", "qemu+tcp://127.0.0.1:1/system");
    private static Connect keepState;
    private final MigratingDriver driver = new MigratingDriver();
    private VmSpec vm;

    /** The test driver, claiming it can migrate, to reach the checks that run before libvirt is asked. */
    static class MigratingDriver extends TestHypervisorDriver {
        @Override
        public boolean supportsLiveMigration() {
            return true;
        }
    }

    @BeforeAll
    static void keepTestHypervisorState() throws Exception {
        keepState = new Connect("test:///default", false);
    }

    @AfterAll
    static void release() throws Exception {
        keepState.close();
    }

    @AfterEach
    void cleanUp() {
        if (vm != null && driver.state(SOURCE, vm.id()) != DomainState.MISSING) {
            driver.destroy(SOURCE, vm.id());
            driver.undefine(SOURCE, vm.id());
        }
        driver.close();
    }

    @Test
    void flagsFollowTheOptions() {
        long base = LiveMigration.PEER2PEER | LiveMigration.PERSIST_DEST | LiveMigration.UNDEFINE_SOURCE;
        assertEquals(base | LiveMigration.LIVE | LiveMigration.AUTO_CONVERGE,
                LiveMigration.flags(MigrationOptions.defaults()));
        assertEquals(1 | 2 | 8 | 16 | 8192, LiveMigration.flags(MigrationOptions.defaults()), "libvirt's values");
        assertEquals(base | LiveMigration.NON_SHARED_DISK | LiveMigration.POSTCOPY, LiveMigration.flags(
                new MigrationOptions(false, null, 0, true, false, true, null)));
    }

    @Test
    void badRequestsNameTheField() {
        MigrationOptions ok = MigrationOptions.defaults();
        HostEndpoint b = new HostEndpoint("b", "b", "qemu+tcp://10.0.2.2/system");
        assertField("target:", () -> LiveMigration.validate(b, b, "id", ok));
        assertField("target.uri:", () -> LiveMigration.validate(SOURCE, new HostEndpoint("x", "x",
                "qemu:///system"), "id", ok));
        assertField("target.uri:", () -> LiveMigration.validate(SOURCE, null, "id", ok));
        assertField("vmId:", () -> LiveMigration.validate(SOURCE, b, " ", ok));
        assertField("options:", () -> LiveMigration.validate(SOURCE, b, "id", null));
        assertField("options.bandwidthMiBps:", () -> LiveMigration.validate(SOURCE, b, "id",
                new MigrationOptions(true, null, -1, false, false, false, null)));
        assertField("options.maxDowntime:", () -> LiveMigration.validate(SOURCE, b, "id",
                new MigrationOptions(true, Duration.ZERO, 0, false, false, false, null)));
        assertField("options.timeout:", () -> LiveMigration.validate(SOURCE, b, "id",
                new MigrationOptions(true, null, 0, false, false, false, Duration.ofSeconds(-1))));
        LiveMigration.validate(SOURCE, b, "id", new MigrationOptions(true, null, 0, false, false, false, null));
    }

    @Test
    void aDriverThatCannotMigrateSaysSo() {
        TestHypervisorDriver plain = new TestHypervisorDriver();
        assertFalse(plain.supportsLiveMigration());
        DriverException e = assertThrows(DriverException.class,
                () -> plain.migrate(SOURCE, DOWN, "id", MigrationOptions.defaults(), null));
        assertEquals("driver 'test' cannot live-migrate", e.getMessage());
    }

    @Test
    void aVmThatDoesNotRunIsNotMigrated() {
        vm = LibvirtDriverTest.spec("mig-off-" + UUID.randomUUID().toString().substring(0, 8));
        driver.define(SOURCE, vm);
        DriverException e = assertThrows(DriverException.class,
                () -> driver.migrate(SOURCE, DOWN, vm.id(), MigrationOptions.defaults(), null));
        assertTrue(e.getMessage().endsWith("the vm is not running at the source"), e.getMessage());
        DriverException missing = assertThrows(DriverException.class, () -> driver.migrate(SOURCE, DOWN,
                UUID.randomUUID().toString(), MigrationOptions.defaults(), null));
        assertTrue(missing.getMessage().contains("no vm with uuid"), missing.getMessage());
        assertEquals(DomainState.SHUTOFF, driver.state(SOURCE, vm.id()));
    }

    @Test
    void anUnreachableTargetChangesNothing() {
        vm = LibvirtDriverTest.spec("mig-down-" + UUID.randomUUID().toString().substring(0, 8));
        driver.define(SOURCE, vm);
        driver.start(SOURCE, vm.id());
        DriverException e = assertThrows(DriverException.class,
                () -> driver.migrate(SOURCE, DOWN, vm.id(), MigrationOptions.defaults(), null));
        assertTrue(e.getMessage().contains("the target's libvirtd cannot be reached"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the vm still runs at the source"), e.getMessage());
        assertEquals(DomainState.RUNNING, driver.state(SOURCE, vm.id()));
    }

    private static void assertField(String prefix, Runnable r) {
        DriverException e = assertThrows(DriverException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), prefix + " expected: " + e.getMessage());
    }
}
