package org.widecloud.shell.audit;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.AuditService;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "audit-list", description = "Lists who changed what and when, newest first")
public class AuditList extends ListAction<AuditEvent> {

    @Reference
    AuditService auditService;

    @Option(name = "--target", description = "Only events about this object (id)")
    String target;

    @Override
    protected Page<AuditEvent> fetch(PageRequest page) {
        return auditService.list(page, target);
    }

    @Override
    protected List<String> columns() {
        return List.of("Seq", "Time", "User", "Action", "Type", "Target", "Detail");
    }

    @Override
    protected List<Object> row(AuditEvent e) {
        return Arrays.asList(e.seq(), e.at(), e.user(), e.action(), e.targetType(), e.target(), e.detail());
    }

    @Override
    protected String emptyText() {
        return "No audit events";
    }
}
