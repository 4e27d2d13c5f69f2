package org.widecloud.shell.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Host;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.driver.DriverCommands;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun.Result;

/** With the real KVM driver installed (on libvirt's test hypervisor): facts are read, drivers listed. */
class HostWithDriverTest extends CoreTest {
    @BeforeEach
    void installDriver() {
        installKvmDriver();
        core.sites.create("alice", new Requests.SiteCreate("lyon", null));
    }

    @Test
    void createReadsTheHostsFactsAndRefreshReadsThemAgain() throws Exception {
        HostCreate c = new HostCreate();
        c.hostService = core.hosts;
        c.siteService = core.sites;
        c.name = "h1";
        c.site = "lyon";
        c.driver = "kvm";
        c.uri = "test:///default";
        Result created = run(c);
        assertNull(created.error(), created.error());
        Host h1 = core.hosts.get("h1");
        assertTrue(h1.cpus() > 0);
        assertEquals("UP", detail(created.out(), "State"), created.out());
        assertEquals(String.valueOf(h1.cpus()), detail(created.out(), "CPUs"), created.out());

        HostRefresh r = new HostRefresh();
        r.hostService = core.hosts;
        r.siteService = core.sites;
        r.host = "h1";
        Result refreshed = run(r);
        assertNull(refreshed.error(), refreshed.error());
        assertEquals("UP", detail(refreshed.out(), "State"), refreshed.out());
    }

    @Test
    void driverListShowsTheInstalledDriver() throws Exception {
        Result r = run(DriverCommands.list(core, true));
        assertEquals(List.of(List.of("hypervisor", "kvm", "test", "0")), rows(r.out()));
    }
}
