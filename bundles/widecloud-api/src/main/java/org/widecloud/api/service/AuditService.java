package org.widecloud.api.service;

import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface AuditService {
    /** Newest first; {@code target} filters when not null. */
    Page<AuditEvent> list(PageRequest page, String target);
}
