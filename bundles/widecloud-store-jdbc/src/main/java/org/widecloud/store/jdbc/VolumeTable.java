package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;
import org.widecloud.api.store.CloudStore.VolumeFilter;

final class VolumeTable extends EntityTable<Volume> {
    VolumeTable() {
        super("volume", "volumes", List.of("id", "name", "pool_id", "host_id", "size_bytes", "format", "image_id",
                "vm_id", "volume_key", "state", "created_at"));
    }

    @Override
    Object[] values(Volume v) {
        return new Object[] {v.id(), v.name(), v.pool(), v.host(), v.sizeBytes(), v.format(), v.image(), v.vm(),
            v.key(), v.state(), v.created()};
    }

    @Override
    Volume read(ResultSet rs) throws SQLException {
        return new Volume(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                Jdbc.enumValue(VolumeState.class, rs.getString(10)), Jdbc.instant(rs, 11), rs.getLong(12));
    }

    @Override
    Volume withVersion(Volume v, long version) {
        return new Volume(v.id(), v.name(), v.pool(), v.host(), v.sizeBytes(), v.format(), v.image(), v.vm(),
                v.key(), v.state(), v.created(), version);
    }

    Page<Volume> page(Connection c, PageRequest page, VolumeFilter filter) throws SQLException {
        Where w = where(filter);
        return w.sql.isEmpty() ? page(c, page) : page(c, page, w.sql, w.args.toArray());
    }

    long count(Connection c, VolumeFilter filter) throws SQLException {
        Where w = where(filter);
        return Jdbc.count(c, "SELECT COUNT(*) FROM volumes" + (w.sql.isEmpty() ? "" : " WHERE " + w.sql),
                w.args.toArray());
    }

    private record Where(String sql, List<Object> args) {
    }

    private static Where where(VolumeFilter filter) {
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (filter != null) {
            and(sql, args, "pool_id", filter.poolId());
            and(sql, args, "vm_id", filter.vmId());
            and(sql, args, "image_id", filter.imageId());
            and(sql, args, "host_id", filter.hostId());
            and(sql, args, "state", filter.state());
        }
        return new Where(sql.toString(), args);
    }

    private static void and(StringBuilder sql, List<Object> args, String column, String value) {
        if (value == null) {
            return;
        }
        if (sql.length() > 0) {
            sql.append(" AND ");
        }
        sql.append(column).append(" = ?");
        args.add(value);
    }
}
