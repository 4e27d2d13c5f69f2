package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few JDBC helpers every table needs. */
final class Jdbc {
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int p = i + 1;
            if (a == null) {
                ps.setObject(p, null);
            } else if (a instanceof String s) {
                ps.setString(p, s);
            } else if (a instanceof Integer n) {
                ps.setInt(p, n);
            } else if (a instanceof Long n) {
                ps.setLong(p, n);
            } else if (a instanceof Instant t) {
                // Both databases keep microseconds; truncating here makes the stored value predictable.
                ps.setObject(p, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            } else if (a instanceof Enum<?> e) {
                ps.setString(p, e.name());
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static <T> List<T> list(Connection c, String sql, RowReader<T> reader, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowReader<T> reader, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
            }
        }
    }

    static long count(Connection c, String sql, Object... args) throws SQLException {
        return one(c, sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    static boolean exists(Connection c, String table, String id) throws SQLException {
        return one(c, "SELECT 1 FROM " + table + " WHERE id = ?", rs -> Boolean.TRUE, id).isPresent();
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** Standard SQL paging, understood by H2 and PostgreSQL alike. */
    static String page(String sql) {
        return sql + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
    }

    /** Columns as a list for SELECT, with an optional table alias. */
    static String columns(String alias, List<String> cols) {
        String prefix = alias == null ? "" : alias + ".";
        StringBuilder sb = new StringBuilder();
        for (String col : cols) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(prefix).append(col);
        }
        return sb.toString();
    }
}
