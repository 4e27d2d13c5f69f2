package org.widecloud.driver.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MigrationOptions;

/** The migration options libxl takes; the migration itself needs two Xen hosts (XenHostTckTest). */
class XenMigrationTest {
    @Test
    void defaultsLoseOnlyTheTuningLibxlDoesNotHave() {
        MigrationOptions o = XenMigration.adapt(MigrationOptions.defaults());
        assertTrue(o.live());
        assertNull(o.maxDowntime(), "libxl has no max downtime");
        assertFalse(o.autoConverge(), "libxl has no auto-converge");
        assertEquals(MigrationOptions.defaults().timeout(), o.timeout());
    }

    @Test
    void whatLibxlCannotDoIsRefusedNamingTheOption() {
        Duration d = Duration.ofMillis(300);
        Duration t = Duration.ofMinutes(1);
        for (Object[] c : new Object[][] {
                {"options.postCopy", new MigrationOptions(true, d, 0, false, true, true, t)},
                {"options.copyStorage", new MigrationOptions(true, d, 0, true, true, false, t)},
                {"options.bandwidthMiBps", new MigrationOptions(true, d, 100, false, true, false, t)}}) {
            DriverException e = assertThrows(DriverException.class,
                    () -> XenMigration.adapt((MigrationOptions) c[1]));
            assertTrue(e.getMessage().startsWith((String) c[0]), e.getMessage());
        }
    }

    @Test
    void theDriverRefusesBeforeTouchingAnyHost() {
        XenDriver driver = new XenDriver("auto", "pygrub");
        try {
            assertTrue(driver.supportsLiveMigration());
            DriverException e = assertThrows(DriverException.class, () -> driver.migrate(
                    new HostEndpoint("a", "a", "xen+ssh://no-such-host-a/system"),
                    new HostEndpoint("b", "b", "xen+ssh://no-such-host-b/system"), "00000000-0000-0000-0000-000000000001",
                    new MigrationOptions(true, null, 0, false, false, true, Duration.ofMinutes(1)), null));
            assertTrue(e.getMessage().startsWith("options.postCopy"), e.getMessage());
        } finally {
            driver.close();
        }
    }
}
