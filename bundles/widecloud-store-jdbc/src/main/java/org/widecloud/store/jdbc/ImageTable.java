package org.widecloud.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;

final class ImageTable extends EntityTable<Image> {
    ImageTable() {
        super("image", "images", List.of("id", "name", "kind", "path", "format", "kernel", "initrd", "cmdline",
                "created_at", "virtual_size_bytes", "checksum"));
    }

    @Override
    Object[] values(Image i) {
        return new Object[] {i.id(), i.name(), i.kind(), i.path(), i.format(), i.kernel(), i.initrd(), i.cmdline(),
            i.created(), i.virtualSizeBytes(), i.checksum()};
    }

    @Override
    Image read(ResultSet rs) throws SQLException {
        long size = rs.getLong(10);
        Long virtualSize = rs.wasNull() ? null : size;
        return new Image(rs.getString(1), rs.getString(2), Jdbc.enumValue(ImageKind.class, rs.getString(3)),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                Jdbc.instant(rs, 9), rs.getLong(12), virtualSize, rs.getString(11));
    }

    @Override
    Image withVersion(Image i, long v) {
        return new Image(i.id(), i.name(), i.kind(), i.path(), i.format(), i.kernel(), i.initrd(), i.cmdline(),
                i.created(), v, i.virtualSizeBytes(), i.checksum());
    }
}
