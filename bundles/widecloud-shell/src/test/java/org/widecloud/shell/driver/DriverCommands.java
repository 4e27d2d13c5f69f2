package org.widecloud.shell.driver;

import org.widecloud.core.CoreFixture;

/** Builds driver commands wired to a core, for tests of other packages. */
public final class DriverCommands {
    private DriverCommands() {
    }

    public static DriverList list(CoreFixture core, boolean noFormat) {
        DriverList l = new DriverList();
        l.driverService = core.driverService();
        l.noFormat = noFormat;
        return l;
    }
}
