package org.widecloud.shell.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.shell.support.CoreTest;

class DriverListTest extends CoreTest {

    @Test
    void noDriverInstalled() throws Exception {
        DriverList l = new DriverList();
        l.driverService = core.driverService();
        List<String> lines = run(l).out().lines().toList();
        assertEquals(3, lines.size());
        assertEquals("No drivers installed", lines.get(2));
    }
}
