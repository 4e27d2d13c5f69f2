package org.widecloud.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.widecloud.api.model.Site;
import org.widecloud.api.model.SiteState;

final class SiteTable extends EntityTable<Site> {
    SiteTable() {
        super("site", "sites", List.of("id", "name", "description", "state", "created_at"));
    }

    @Override
    Object[] values(Site s) {
        return new Object[] {s.id(), s.name(), s.description(), s.state(), s.created()};
    }

    @Override
    Site read(ResultSet rs) throws SQLException {
        return new Site(rs.getString(1), rs.getString(2), rs.getString(3),
                Jdbc.enumValue(SiteState.class, rs.getString(4)), Jdbc.instant(rs, 5), rs.getLong(6));
    }

    @Override
    Site withVersion(Site s, long version) {
        return s.withVersion(version);
    }
}
