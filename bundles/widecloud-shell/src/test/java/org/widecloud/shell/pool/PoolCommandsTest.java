package org.widecloud.shell.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.PageRequest;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun.Result;

/** Pool commands on the real core with the real local backend (test:///default) and a stored iSCSI pool. */
class PoolCommandsTest extends CoreTest {

    @BeforeEach
    void storage() {
        installStorage();
    }

    private <T extends PoolAction> T wire(T a) {
        a.poolService = core.pools;
        a.siteService = core.sites;
        return a;
    }

    @Test
    void lifecycleOfALocalPool() throws Exception {
        PoolCreate c = wire(new PoolCreate());
        c.name = "fast";
        c.backend = "local";
        c.site = "lyon";
        c.params = List.of("path=" + files.resolve("fast"));
        Result created = ok(c);
        assertEquals("ACTIVE", detail(created.out(), "State"), created.out());
        assertEquals("lyon", detail(created.out(), "Site"));
        assertEquals("path=" + files.resolve("fast"), detail(created.out(), "Parameters"));

        c.name = "bad";
        c.params = List.of("path");
        assertEquals("Error: param: expected key=value, got 'path'", run(c).error());
        c.params = List.of("path=relative/dir");
        assertTrue(run(c).error().startsWith("Error: parameters.path: "), run(c).error());

        PoolList l = new PoolList();
        l.poolService = core.pools;
        l.siteService = core.sites;
        l.setNoFormat(true);
        List<List<String>> rows = rows(ok(l).out());
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(List.of("fast", "lyon", "local", "ACTIVE"), rows.get(0).subList(1, 5));

        PoolUpdate u = wire(new PoolUpdate());
        u.pool = "fast";
        u.state = "MAINTENANCE";
        assertEquals("MAINTENANCE", detail(ok(u).out(), "State"));
        u.state = "UNAVAILABLE";
        assertTrue(run(u).error().startsWith("Error: state: "), run(u).error());

        PoolRefresh r = wire(new PoolRefresh());
        r.pool = "fast";
        assertEquals("MAINTENANCE", detail(ok(r).out(), "State"));

        PoolDelete d = new PoolDelete();
        d.poolService = core.pools;
        d.pool = "fast";
        assertEquals("Pool fast deleted" + System.lineSeparator(), ok(d).out());
        assertEquals(0, core.pools.list(PageRequest.all(), null).total());
    }

    @Test
    void secretsAreMaskedAndWideAreaPoolsListedForEverySite() throws Exception {
        String secret = storedIscsiPool("wide");
        PoolShow s = wire(new PoolShow());
        s.pool = "wide";
        Result shown = ok(s);
        assertFalse(shown.out().contains(secret), shown.out());
        assertTrue(detail(shown.out(), "Parameters").contains("chap.secret=****** chap.user=wc"), shown.out());
        assertEquals("(wide-area)", detail(shown.out(), "Site"));

        PoolList l = new PoolList();
        l.poolService = core.pools;
        l.siteService = core.sites;
        l.site = "lyon";
        l.setNoFormat(true);
        Result listed = ok(l);
        assertEquals(List.of("wide", "(wide-area)", "iscsi"), rows(listed.out()).get(0).subList(1, 4));
        assertFalse(listed.out().contains(secret));
    }
}
