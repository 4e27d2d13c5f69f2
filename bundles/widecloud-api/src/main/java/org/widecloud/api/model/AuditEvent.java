package org.widecloud.api.model;

import java.time.Instant;

/** Who changed what, when. */
public record AuditEvent(long seq, Instant at, String user, String action, String targetType, String target,
        String detail) {
}
