package org.widecloud.shell.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.impl.action.command.DefaultActionPreparator;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun;
import org.widecloud.shell.support.ShellRun.Result;

class SiteCommandsTest extends CoreTest {

    SiteCreate create(String name, String description) {
        SiteCreate c = new SiteCreate();
        c.siteService = core.sites;
        c.name = name;
        c.description = description;
        return c;
    }

    SiteList list() {
        SiteList l = new SiteList();
        l.siteService = core.sites;
        return l;
    }

    @Test
    void createPrintsTheNewSiteAndListShowsItInATableWithTotals() throws Exception {
        Result created = run(create("lyon", "campus A"));
        assertNull(created.error());
        Site lyon = core.sites.get("lyon");
        assertEquals("lyon", detail(created.out(), "Name"), created.out());
        assertEquals(lyon.id(), detail(created.out(), "ID"), created.out());
        assertEquals("ACTIVE", detail(created.out(), "State"), created.out());

        Result listed = run(list());
        List<String> lines = listed.out().lines().toList();
        assertEquals(List.of("ID", "Name", "State", "Description"),
                List.of(lines.get(0).split("\\s*[|│]\\s*")).stream().map(String::strip).toList());
        assertTrue(lines.get(1).matches("[-─+┼]+"), lines.get(1));
        assertTrue(lines.get(2).contains(lyon.id()) && lines.get(2).contains("lyon")
                && lines.get(2).contains("campus A"), lines.get(2));
        assertEquals("Showing 1-1 of 1", lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void noFormatPrintsBareTabSeparatedRows() throws Exception {
        run(create("lyon", "campus A"));
        run(create("nancy", null));
        SiteList l = list();
        l.setNoFormat(true);

        Result r = run(l);

        assertEquals(List.of(List.of(core.sites.get("lyon").id(), "lyon", "ACTIVE", "campus A"),
                List.of(core.sites.get("nancy").id(), "nancy", "ACTIVE", "")), rows(r.out()).stream()
                        .sorted((a, b) -> a.get(1).compareTo(b.get(1))).toList());
        assertFalse(r.out().contains("Showing"), "no totals line for scripts");
    }

    @Test
    void anEmptyListSaysSo() throws Exception {
        List<String> lines = run(list()).out().lines().toList();
        assertEquals(3, lines.size(), "header, underline and the empty text; no totals");
        assertEquals("No sites", lines.get(2));
        SiteList bare = list();
        bare.setNoFormat(true);
        assertEquals("", run(bare).out());
    }

    @Test
    void pagesWithOffsetAndLimit() throws Exception {
        for (String n : List.of("a1", "a2", "a3")) {
            run(create(n, null));
        }
        SiteList l = list();
        l.setPage(1, 1);
        Result r = run(l);
        assertEquals(4, r.out().lines().count(), r.out());
        assertTrue(r.out().endsWith("Showing 2-2 of 3" + System.lineSeparator()), r.out());

        SiteList beyond = list();
        beyond.setPage(10, null);
        assertTrue(run(beyond).out().contains("Showing none of 3 (offset 10)"));

        SiteList bad = list();
        bad.setPage(null, 0);
        assertEquals("Error: limit: must be between 1 and " + PageRequest.MAX_LIMIT, run(bad).error());
    }

    @Test
    void badInputIsOneCleanLineAndChangesNothing() throws Exception {
        Result r = run(create("bad name", null));
        assertEquals("Error: name: 'bad name' may contain only letters, digits, '.', '-' and '_', "
                + "and must start with a letter or digit", r.error());
        assertEquals("", r.out());
        assertEquals(0, core.sites.list(PageRequest.all()).total());

        run(create("lyon", null));
        assertEquals("Error: a site named 'lyon' exists already", run(create("lyon", null)).error());
        assertEquals(1, core.sites.list(PageRequest.all()).total());
    }

    @Test
    void showUpdateAndDelete() throws Exception {
        run(create("lyon", "campus A"));
        SiteShow show = new SiteShow();
        show.siteService = core.sites;
        show.site = "lyon";
        assertEquals("campus A", detail(run(show).out(), "Description"));

        SiteUpdate update = new SiteUpdate();
        update.siteService = core.sites;
        update.site = "lyon";
        update.description = "campus B";
        update.state = "MAINTENANCE";
        Result updated = run(update);
        assertNull(updated.error(), updated.error());
        assertEquals("MAINTENANCE", detail(updated.out(), "State"), updated.out());
        assertEquals("campus B", core.sites.get("lyon").description());

        SiteDelete delete = new SiteDelete();
        delete.siteService = core.sites;
        delete.site = "lyon";
        assertEquals("Site lyon deleted" + System.lineSeparator(), run(delete).out());
        show.site = "lyon";
        assertEquals("Error: no site 'lyon'", run(show).error());
    }

    @Test
    void optionsAfterTheNameReachTheRequest() throws Exception {
        SiteCreate c = new SiteCreate();
        c.siteService = core.sites;
        new DefaultActionPreparator().prepare(c, ShellRun.session(0, Map.of()),
                List.of("lyon", "--description", "made by the shell"));
        Result r = run(c);
        assertNull(r.error(), r.error());
        assertEquals("made by the shell", core.sites.get("lyon").description());
    }

    @Test
    void aStaleVersionIsRefused() throws Exception {
        run(create("lyon", null));
        long version = core.sites.get("lyon").version();
        core.sites.update("bob", "lyon", new Requests.SiteUpdate(null, "changed by bob", null, null));
        SiteUpdate update = new SiteUpdate();
        update.siteService = core.sites;
        update.site = "lyon";
        update.description = "mine";
        update.version = version;
        Result r = run(update);
        assertTrue(r.failed());
        assertTrue(r.error().startsWith("Error: "), r.error());
        assertEquals("changed by bob", core.sites.get("lyon").description());
    }
}
