package org.widecloud.shell.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun.Result;

/** Hosts whose driver is not installed: registered, listed with the site's name, NO_DRIVER. */
class HostCommandsTest extends CoreTest {

    <T extends HostAction> T wire(T action) {
        action.hostService = core.hosts;
        action.siteService = core.sites;
        return action;
    }

    HostCreate create(String name, String site, String uri) {
        HostCreate c = wire(new HostCreate());
        c.name = name;
        c.site = site;
        c.driver = "xen";
        c.uri = uri;
        return c;
    }

    @Test
    void aHostWithoutItsDriverIsRegisteredAndShownAsSuch() throws Exception {
        core.sites.create("alice", new Requests.SiteCreate("lyon", null));
        Result r = run(create("h1", "lyon", "xen:///system"));
        assertNull(r.error(), r.error());
        assertEquals("NO_DRIVER", detail(r.out(), "State"), r.out());
        assertEquals("no hypervisor driver 'xen' installed", detail(r.out(), "State reason"), r.out());
        assertEquals("lyon", detail(r.out(), "Site"), r.out());

        HostList l = new HostList();
        l.hostService = core.hosts;
        l.siteService = core.sites;
        l.site = "lyon";
        l.setNoFormat(true);
        Host h1 = core.hosts.get("h1");
        assertEquals(List.of(List.of(h1.id(), "h1", "lyon", "xen", "xen:///system", "NO_DRIVER", "0", "0")),
                rows(run(l).out()));
    }

    @Test
    void anUnknownSiteIsNamed() throws Exception {
        Result r = run(create("h1", "nowhere", "xen:///system"));
        assertEquals("Error: site: no site 'nowhere'", r.error());
        assertEquals(0, core.hosts.list(PageRequest.all(), null).total());
    }

    @Test
    void updateAndDelete() throws Exception {
        core.sites.create("alice", new Requests.SiteCreate("lyon", null));
        run(create("h1", "lyon", "xen:///system"));

        HostUpdate u = wire(new HostUpdate());
        u.host = "h1";
        u.name = "h2";
        Result updated = run(u);
        assertNull(updated.error(), updated.error());
        assertEquals("h2", detail(updated.out(), "Name"), updated.out());

        HostDelete d = wire(new HostDelete());
        d.host = "h2";
        assertEquals("Host h2 deleted" + System.lineSeparator(), run(d).out());

        HostShow s = wire(new HostShow());
        s.host = "h2";
        assertEquals("Error: no host 'h2'", run(s).error());
    }
}
