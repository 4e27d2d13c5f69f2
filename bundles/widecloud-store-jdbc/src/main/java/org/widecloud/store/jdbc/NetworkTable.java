package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.widecloud.api.model.Network;

/** Networks and their mobility parameters (child table, replaced on every write). */
final class NetworkTable extends EntityTable<Network> {
    private static final String DELETE_PARAMS = "DELETE FROM network_parameters WHERE network_id = ?";
    private static final String INSERT_PARAM =
            "INSERT INTO network_parameters (network_id, param_key, param_value) VALUES (?, ?, ?)";
    private static final String PARAMS_OF_ONE =
            "SELECT network_id, param_key, param_value FROM network_parameters WHERE network_id = ?";
    private static final String ALL_PARAMS = "SELECT network_id, param_key, param_value FROM network_parameters";

    NetworkTable() {
        super("network", "networks", List.of("id", "name", "ipv4_prefix", "ipv6_prefix", "mobility", "bridge",
                "created_at"));
    }

    @Override
    Object[] values(Network n) {
        return new Object[] {n.id(), n.name(), n.ipv4Prefix(), n.ipv6Prefix(), n.mobility(), n.bridge(),
            n.created()};
    }

    @Override
    Network read(ResultSet rs) throws SQLException {
        return new Network(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Map.of(), Jdbc.instant(rs, 7), rs.getLong(8));
    }

    @Override
    Network withVersion(Network n, long v) {
        return new Network(n.id(), n.name(), n.ipv4Prefix(), n.ipv6Prefix(), n.mobility(), n.bridge(),
                n.parameters(), n.created(), v);
    }

    private static Network withParameters(Network n, Map<String, String> p) {
        return new Network(n.id(), n.name(), n.ipv4Prefix(), n.ipv6Prefix(), n.mobility(), n.bridge(), p,
                n.created(), n.version());
    }

    @Override
    void afterWrite(Connection c, Network n) throws SQLException {
        Jdbc.update(c, DELETE_PARAMS, n.id());
        if (n.parameters().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_PARAM)) {
            for (Map.Entry<String, String> e : n.parameters().entrySet()) {
                Jdbc.bind(ps, n.id(), e.getKey(), e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    List<Network> completeAll(Connection c, List<Network> networks) throws SQLException {
        if (networks.isEmpty()) {
            return networks;
        }
        // Networks are few: one network reads its own rows, a page reads the whole (small) table once.
        Map<String, Map<String, String>> params = new HashMap<>();
        Jdbc.RowReader<String> add = rs -> params.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                .put(rs.getString(2), rs.getString(3));
        if (networks.size() == 1) {
            Jdbc.list(c, PARAMS_OF_ONE, add, networks.get(0).id());
        } else {
            Jdbc.list(c, ALL_PARAMS, add);
        }
        List<Network> out = new ArrayList<>(networks.size());
        for (Network n : networks) {
            Map<String, String> p = params.get(n.id());
            out.add(p == null ? n : withParameters(n, p));
        }
        return out;
    }
}
