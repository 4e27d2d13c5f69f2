package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A record's key/value settings in a child table ({@code <owner>_parameters}: owner id, param_key,
 * param_value), replaced on every write, so no JSON codec is needed and keys stay queryable.
 */
final class Parameters {
    private final String deleteSql;
    private final String insertSql;
    private final String ofOneSql;
    private final String allSql;

    /** {@code table}: the child table; {@code ownerColumn}: its column holding the owner's id. */
    Parameters(String table, String ownerColumn) {
        String select = "SELECT " + ownerColumn + ", param_key, param_value FROM " + table;
        deleteSql = "DELETE FROM " + table + " WHERE " + ownerColumn + " = ?";
        insertSql = "INSERT INTO " + table + " (" + ownerColumn + ", param_key, param_value) VALUES (?, ?, ?)";
        ofOneSql = select + " WHERE " + ownerColumn + " = ?";
        allSql = select;
    }

    void write(Connection c, String ownerId, Map<String, String> parameters) throws SQLException {
        Jdbc.update(c, deleteSql, ownerId);
        if (parameters.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                Jdbc.bind(ps, ownerId, e.getKey(), e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Parameters by owner id; owners without any are absent from the map. */
    Map<String, Map<String, String>> read(Connection c, List<String> ownerIds) throws SQLException {
        Map<String, Map<String, String>> params = new HashMap<>();
        if (ownerIds.isEmpty()) {
            return params;
        }
        Jdbc.RowReader<String> add = rs -> params.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                .put(rs.getString(2), rs.getString(3));
        // Owners (networks, pools) are few: one reads its own rows, a page reads the whole (small) table once.
        if (ownerIds.size() == 1) {
            Jdbc.list(c, ofOneSql, add, ownerIds.get(0));
        } else {
            Jdbc.list(c, allSql, add);
        }
        return params;
    }

    /** The records with their parameters read in: {@code with} makes a copy of a record with the given ones. */
    <T> List<T> complete(Connection c, List<T> records, Function<T, String> id,
            BiFunction<T, Map<String, String>, T> with) throws SQLException {
        Map<String, Map<String, String>> params = read(c, records.stream().map(id).toList());
        List<T> out = new ArrayList<>(records.size());
        for (T r : records) {
            Map<String, String> p = params.get(id.apply(r));
            out.add(p == null ? r : with.apply(r, p));
        }
        return out;
    }
}
