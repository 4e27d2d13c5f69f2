package org.widecloud.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;

final class HostTable extends EntityTable<Host> {
    HostTable() {
        super("host", "hosts", List.of("id", "name", "site_id", "driver", "uri", "state", "cpus", "memory_mib",
                "hypervisor_version", "state_reason", "created_at", "address", "executor"));
    }

    @Override
    Object[] values(Host h) {
        return new Object[] {h.id(), h.name(), h.site(), h.driver(), h.uri(), h.state(), h.cpus(), h.memoryMiB(),
            h.hypervisorVersion(), h.stateReason(), h.created(), h.address(), h.executor()};
    }

    @Override
    Host read(ResultSet rs) throws SQLException {
        return new Host(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Jdbc.enumValue(HostState.class, rs.getString(6)), rs.getInt(7), rs.getLong(8), rs.getString(9),
                rs.getString(10), Jdbc.instant(rs, 11), rs.getLong(14), rs.getString(12), rs.getString(13));
    }

    @Override
    Host withVersion(Host h, long v) {
        return new Host(h.id(), h.name(), h.site(), h.driver(), h.uri(), h.state(), h.cpus(), h.memoryMiB(),
                h.hypervisorVersion(), h.stateReason(), h.created(), v, h.address(), h.executor());
    }
}
