package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.store.StoreException;

/** Jobs: written by their one owner, so updates need no version check (the version still counts). */
final class JobTable {
    private static final String COLUMNS = "id, job_type, target_type, target, state, progress, step, error, "
            + "user_name, created_at, updated_at, version";
    private static final String INSERT = "INSERT INTO jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE jobs SET job_type = ?, target_type = ?, target = ?, state = ?, "
            + "progress = ?, step = ?, error = ?, user_name = ?, updated_at = ?, version = version + 1 WHERE id = ?";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM jobs WHERE id = ?";
    private static final String UNFINISHED = "SELECT " + COLUMNS
            + " FROM jobs WHERE state IN ('PENDING', 'RUNNING') ORDER BY created_at, id";

    void insert(Connection c, Job j) throws SQLException {
        Jdbc.update(c, INSERT, j.id(), j.type(), j.targetType(), j.target(), j.state(), j.progress(), j.step(),
                j.error(), j.user(), j.created(), j.updated(), j.version());
    }

    Job update(Connection c, Job j) throws SQLException {
        int n = Jdbc.update(c, UPDATE, j.type(), j.targetType(), j.target(), j.state(), j.progress(), j.step(),
                j.error(), j.user(), j.updated(), j.id());
        if (n == 0) {
            throw new StoreException("no such job: '" + j.id() + "'", null);
        }
        return new Job(j.id(), j.type(), j.targetType(), j.target(), j.state(), j.progress(), j.step(), j.error(),
                j.user(), j.created(), j.updated(), j.version() + 1);
    }

    Optional<Job> byId(Connection c, String id) throws SQLException {
        return Jdbc.one(c, BY_ID, JobTable::read, id);
    }

    Page<Job> page(Connection c, PageRequest page, String target, String state) throws SQLException {
        List<String> cond = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (target != null) {
            cond.add("target = ?");
            args.add(target);
        }
        if (state != null) {
            cond.add("state = ?");
            args.add(state);
        }
        String where = cond.isEmpty() ? "" : " WHERE " + String.join(" AND ", cond);
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.offset());
        pageArgs.add(page.limit());
        List<Job> items = Jdbc.list(c, Jdbc.page("SELECT " + COLUMNS + " FROM jobs" + where
                + " ORDER BY created_at DESC, id DESC"), JobTable::read, pageArgs.toArray());
        long total = Jdbc.count(c, "SELECT COUNT(*) FROM jobs" + where, args.toArray());
        return new Page<>(items, total, page.offset(), page.limit());
    }

    List<Job> unfinished(Connection c) throws SQLException {
        return Jdbc.list(c, UNFINISHED, JobTable::read);
    }

    private static Job read(ResultSet rs) throws SQLException {
        return new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Jdbc.enumValue(JobState.class, rs.getString(5)), rs.getInt(6), rs.getString(7), rs.getString(8),
                rs.getString(9), Jdbc.instant(rs, 10), Jdbc.instant(rs, 11), rs.getLong(12));
    }
}
