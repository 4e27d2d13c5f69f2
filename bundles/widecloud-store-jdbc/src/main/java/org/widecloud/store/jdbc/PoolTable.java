package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;

/**
 * Storage pools and their backend parameters (child table, replaced on every write). Parameters are stored as
 * given, secrets included: masking them is the services' job, and the backends need the real values.
 */
final class PoolTable extends EntityTable<Pool> {
    private static final Parameters PARAMETERS = new Parameters("pool_parameters", "pool_id");

    PoolTable() {
        super("pool", "pools", List.of("id", "name", "site_id", "backend", "capacity_bytes", "used_bytes", "state",
                "state_reason", "created_at"));
    }

    @Override
    Object[] values(Pool p) {
        return new Object[] {p.id(), p.name(), p.site(), p.backend(), p.capacityBytes(), p.usedBytes(), p.state(),
            p.stateReason(), p.created()};
    }

    @Override
    Pool read(ResultSet rs) throws SQLException {
        return new Pool(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Map.of(), rs.getLong(5),
                rs.getLong(6), Jdbc.enumValue(PoolState.class, rs.getString(7)), rs.getString(8),
                Jdbc.instant(rs, 9), rs.getLong(10));
    }

    @Override
    Pool withVersion(Pool p, long v) {
        return new Pool(p.id(), p.name(), p.site(), p.backend(), p.parameters(), p.capacityBytes(), p.usedBytes(),
                p.state(), p.stateReason(), p.created(), v);
    }

    @Override
    void afterWrite(Connection c, Pool p) throws SQLException {
        PARAMETERS.write(c, p.id(), p.parameters());
    }

    @Override
    List<Pool> completeAll(Connection c, List<Pool> pools) throws SQLException {
        return PARAMETERS.complete(c, pools, Pool::id, (p, given) -> new Pool(p.id(), p.name(), p.site(),
                p.backend(), given, p.capacityBytes(), p.usedBytes(), p.state(), p.stateReason(), p.created(),
                p.version()));
    }
}
