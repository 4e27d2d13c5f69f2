package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.widecloud.api.model.Network;

/** Networks and their mobility parameters (child table, replaced on every write). */
final class NetworkTable extends EntityTable<Network> {
    private static final Parameters PARAMETERS = new Parameters("network_parameters", "network_id");

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
        PARAMETERS.write(c, n.id(), n.parameters());
    }

    @Override
    List<Network> completeAll(Connection c, List<Network> networks) throws SQLException {
        return PARAMETERS.complete(c, networks, Network::id, NetworkTable::withParameters);
    }
}
