package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.widecloud.api.model.Entity;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.store.StaleVersionException;
import org.widecloud.api.store.StoreException;

/**
 * One kind of versioned record in one table: columns are {@code id, name, ...the rest, version}, and the
 * SQL for every operation is built once so the drivers' statement caches see the same strings.
 */
abstract class EntityTable<T extends Entity> {
    final String kind;
    final String table;
    final List<String> columns;
    private final String insertSql;
    private final String updateSql;
    private final String deleteSql;
    private final String byIdSql;
    private final String byNameSql;
    private final String pageSql;
    private final String countSql;

    /** {@code columns}: every column but version, starting with id and name. */
    EntityTable(String kind, String table, List<String> columns) {
        this.kind = kind;
        this.table = table;
        this.columns = List.copyOf(columns);
        List<String> all = new ArrayList<>(columns);
        all.add("version");
        String select = "SELECT " + Jdbc.columns(null, all) + " FROM " + table;
        insertSql = "INSERT INTO " + table + " (" + Jdbc.columns(null, all) + ") VALUES ("
                + String.join(", ", Collections.nCopies(all.size(), "?")) + ")";
        StringBuilder set = new StringBuilder();
        for (String col : columns.subList(1, columns.size())) {
            set.append(col).append(" = ?, ");
        }
        updateSql = "UPDATE " + table + " SET " + set + "version = version + 1 WHERE id = ? AND version = ?";
        deleteSql = "DELETE FROM " + table + " WHERE id = ?";
        byIdSql = select + " WHERE id = ?";
        byNameSql = select + " WHERE name = ?";
        pageSql = Jdbc.page(select + " ORDER BY name");
        countSql = "SELECT COUNT(*) FROM " + table;
    }

    /** Values of {@link #columns} in order (id first). */
    abstract Object[] values(T record);

    /** Reads a row of {@link #columns} + version starting at column 1. */
    abstract T read(ResultSet rs) throws SQLException;

    abstract T withVersion(T record, long version);

    void insert(Connection c, T record) throws SQLException {
        Jdbc.update(c, insertSql, withTrailing(values(record), record.version()));
        afterWrite(c, record);
    }

    T update(Connection c, T record) throws SQLException {
        Object[] v = values(record);
        Object[] args = new Object[v.length + 1];
        System.arraycopy(v, 1, args, 0, v.length - 1);
        args[v.length - 1] = record.id();
        args[v.length] = record.version();
        if (Jdbc.update(c, updateSql, args) == 0) {
            throw missingOrStale(c, record.id(), record.version());
        }
        afterWrite(c, record);
        return withVersion(record, record.version() + 1);
    }

    boolean delete(Connection c, String id) throws SQLException {
        return Jdbc.update(c, deleteSql, id) > 0;
    }

    Optional<T> byId(Connection c, String id) throws SQLException {
        return Jdbc.one(c, byIdSql, this::read, id).map(r -> complete(c, r));
    }

    Optional<T> byName(Connection c, String name) throws SQLException {
        return Jdbc.one(c, byNameSql, this::read, name).map(r -> complete(c, r));
    }

    Page<T> page(Connection c, PageRequest page) throws SQLException {
        List<T> items = completeAll(c, Jdbc.list(c, pageSql, this::read, page.offset(), page.limit()));
        return new Page<>(items, Jdbc.count(c, countSql), page.offset(), page.limit());
    }

    /** Filtered page: {@code where} is a condition on this table's columns, {@code args} its parameters. */
    Page<T> page(Connection c, PageRequest page, String where, Object... args) throws SQLException {
        String sql = Jdbc.page("SELECT " + Jdbc.columns(null, columns) + ", version FROM " + table + " WHERE "
                + where + " ORDER BY name");
        List<T> items = completeAll(c, Jdbc.list(c, sql, this::read, withTrailing(args, page.offset(),
                page.limit())));
        long total = Jdbc.count(c, "SELECT COUNT(*) FROM " + table + " WHERE " + where, args);
        return new Page<>(items, total, page.offset(), page.limit());
    }

    /** Writes child rows after an insert or update. */
    void afterWrite(Connection c, T record) throws SQLException {
    }

    /** Adds child rows to records read from the table. */
    List<T> completeAll(Connection c, List<T> records) throws SQLException {
        return records;
    }

    private T complete(Connection c, T record) {
        try {
            return completeAll(c, List.of(record)).get(0);
        } catch (SQLException e) {
            throw SqlErrors.general(e);
        }
    }

    StoreException missingOrStale(Connection c, String id, long version) throws SQLException {
        if (Jdbc.exists(c, table, id)) {
            return new StaleVersionException(kind + " '" + id + "' was changed by someone else (version " + version
                    + " is not the current one): read it again and retry");
        }
        return new StoreException("no such " + kind + ": '" + id + "'", null);
    }

    static Object[] withTrailing(Object[] head, Object... tail) {
        Object[] out = new Object[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
