package org.widecloud.shell.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.shell.site.SiteCommands;
import org.widecloud.shell.support.CoreTest;

class AuditListTest extends CoreTest {

    @Test
    void changesAreRecordedUnderTheSessionsUser() throws Exception {
        run(SiteCommands.create(core, "lyon"), "alice");
        run(SiteCommands.create(core, "nancy"), "bob");

        AuditList l = new AuditList();
        l.auditService = core.auditService();
        l.setNoFormat(true);
        List<List<String>> rows = rows(run(l).out());

        assertEquals(2, rows.size());
        assertEquals(List.of("bob", "site.create", "site"), rows.get(0).subList(2, 5), "newest first");
        assertEquals(List.of("alice", "site.create", "site"), rows.get(1).subList(2, 5));

        AuditList one = new AuditList();
        one.auditService = core.auditService();
        one.target = core.sites.get("lyon").id();
        String table = run(one).out();
        assertTrue(table.contains("alice") && !table.contains("bob"), table);
        assertTrue(table.endsWith("Showing 1-1 of 1" + System.lineSeparator()), table);
    }
}
