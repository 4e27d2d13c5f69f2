package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.widecloud.api.model.Migration;
import org.widecloud.api.model.MigrationStep;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.store.StaleVersionException;
import org.widecloud.api.store.StoreException;

/** The migration journal: version-checked, because the saga and recovery must never overwrite each other. */
final class MigrationTable {
    private static final String COLUMNS = "id, vm_id, job_id, source_host, target_host, step, downtime_ms, "
            + "bytes_transferred, total_ms, gap_ms, error, created_at, updated_at, version";
    private static final String INSERT = "INSERT INTO migrations (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE migrations SET step = ?, downtime_ms = ?, bytes_transferred = ?, "
            + "total_ms = ?, gap_ms = ?, error = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM migrations WHERE id = ?";
    private static final String UNFINISHED = "SELECT " + COLUMNS
            + " FROM migrations WHERE step NOT IN ('DONE', 'ROLLED_BACK') ORDER BY created_at, id";

    void insert(Connection c, Migration m) throws SQLException {
        Jdbc.update(c, INSERT, m.id(), m.vm(), m.job(), m.sourceHost(), m.targetHost(), m.step(), m.downtimeMs(),
                m.bytesTransferred(), m.totalMs(), m.gapMs(), m.error(), m.created(), m.updated(), m.version());
    }

    Migration update(Connection c, Migration m) throws SQLException {
        int n = Jdbc.update(c, UPDATE, m.step(), m.downtimeMs(), m.bytesTransferred(), m.totalMs(), m.gapMs(),
                m.error(), m.updated(), m.id(), m.version());
        if (n == 0) {
            if (byId(c, m.id()).isPresent()) {
                throw new StaleVersionException("migration '" + m.id() + "' was changed in the meantime");
            }
            throw new StoreException("no such migration: '" + m.id() + "'", null);
        }
        return new Migration(m.id(), m.vm(), m.job(), m.sourceHost(), m.targetHost(), m.step(), m.downtimeMs(),
                m.bytesTransferred(), m.totalMs(), m.gapMs(), m.error(), m.created(), m.updated(), m.version() + 1);
    }

    Optional<Migration> byId(Connection c, String id) throws SQLException {
        return Jdbc.one(c, BY_ID, MigrationTable::read, id);
    }

    Page<Migration> page(Connection c, PageRequest page, String vmId) throws SQLException {
        String where = vmId == null ? "" : " WHERE vm_id = ?";
        Object[] args = vmId == null ? new Object[0] : new Object[] {vmId};
        Object[] pageArgs = vmId == null ? new Object[] {page.offset(), page.limit()}
                : new Object[] {vmId, page.offset(), page.limit()};
        List<Migration> items = Jdbc.list(c, Jdbc.page("SELECT " + COLUMNS + " FROM migrations" + where
                + " ORDER BY created_at DESC, id DESC"), MigrationTable::read, pageArgs);
        long total = Jdbc.count(c, "SELECT COUNT(*) FROM migrations" + where, args);
        return new Page<>(items, total, page.offset(), page.limit());
    }

    List<Migration> unfinished(Connection c) throws SQLException {
        return Jdbc.list(c, UNFINISHED, MigrationTable::read);
    }

    private static Migration read(ResultSet rs) throws SQLException {
        return new Migration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Jdbc.enumValue(MigrationStep.class, rs.getString(6)), nullableLong(rs, 7), nullableLong(rs, 8),
                nullableLong(rs, 9), nullableLong(rs, 10), rs.getString(11), Jdbc.instant(rs, 12),
                Jdbc.instant(rs, 13), rs.getLong(14));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
