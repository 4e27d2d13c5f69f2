package org.widecloud.shell.site;

import org.widecloud.core.CoreFixture;

/** Builds site commands for tests of other packages. */
public final class SiteCommands {
    private SiteCommands() {
    }

    public static SiteCreate create(CoreFixture core, String name) {
        SiteCreate c = new SiteCreate();
        c.siteService = core.sites;
        c.name = name;
        return c;
    }
}
