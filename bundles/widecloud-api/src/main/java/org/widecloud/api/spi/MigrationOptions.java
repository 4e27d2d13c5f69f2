package org.widecloud.api.spi;

import java.time.Duration;

/** Options of a live migration, as in libvirt's (max downtime, bandwidth, copy storage, ...). */
public record MigrationOptions(boolean live, Duration maxDowntime, long bandwidthMiBps, boolean copyStorage,
        boolean autoConverge, boolean postCopy, Duration timeout) {
    public static MigrationOptions defaults() {
        return new MigrationOptions(true, Duration.ofMillis(300), 0, false, true, false, Duration.ofMinutes(10));
    }
}
