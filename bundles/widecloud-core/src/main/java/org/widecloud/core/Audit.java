package org.widecloud.core;

import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.AuditService;
import org.widecloud.api.store.CloudStore;

/** Records who changed what, when; every service calls it for every change. */
@Component(service = { Audit.class, AuditService.class })
public class Audit implements AuditService {
    private final CloudStore store;

    @Activate
    public Audit(@Reference CloudStore store) {
        this.store = store;
    }

    public void record(String user, String action, String targetType, String target, String detail) {
        store.audit(new AuditEvent(0, Instant.now(), user == null ? "system" : user, action, targetType, target,
                detail));
    }

    @Override
    public Page<AuditEvent> list(PageRequest page, String target) {
        return store.auditEvents(page, target);
    }
}
