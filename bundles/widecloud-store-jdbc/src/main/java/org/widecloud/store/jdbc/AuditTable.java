package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

/** The audit log: append only, numbered by the database's identity column, read newest first. */
final class AuditTable {
    private static final String COLUMNS = "seq, occurred_at, user_name, action, target_type, target, detail";
    private static final String INSERT = "INSERT INTO audit_events (occurred_at, user_name, action, target_type, "
            + "target, detail) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String PAGE_ALL = Jdbc.page("SELECT " + COLUMNS + " FROM audit_events ORDER BY seq DESC");
    private static final String COUNT_ALL = "SELECT COUNT(*) FROM audit_events";
    private static final String PAGE_TARGET = Jdbc.page("SELECT " + COLUMNS
            + " FROM audit_events WHERE target = ? ORDER BY seq DESC");
    private static final String COUNT_TARGET = "SELECT COUNT(*) FROM audit_events WHERE target = ?";

    void insert(Connection c, AuditEvent e) throws SQLException {
        Jdbc.update(c, INSERT, e.at() == null ? Instant.now() : e.at(), e.user(), e.action(), e.targetType(),
                e.target(), e.detail());
    }

    Page<AuditEvent> page(Connection c, PageRequest page, String target) throws SQLException {
        List<AuditEvent> items;
        long total;
        if (target == null) {
            items = Jdbc.list(c, PAGE_ALL, AuditTable::read, page.offset(), page.limit());
            total = Jdbc.count(c, COUNT_ALL);
        } else {
            items = Jdbc.list(c, PAGE_TARGET, AuditTable::read, target, page.offset(), page.limit());
            total = Jdbc.count(c, COUNT_TARGET, target);
        }
        return new Page<>(items, total, page.offset(), page.limit());
    }

    private static AuditEvent read(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getLong(1), Jdbc.instant(rs, 2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7));
    }
}
