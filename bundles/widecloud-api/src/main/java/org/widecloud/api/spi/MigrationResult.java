package org.widecloud.api.spi;

/**
 * What the hypervisor reports after a migration; -1 for what it does not measure (XAPI reports no downtime).
 * {@code diskBytes}: what a copy-storage migration copied of the disks (libvirt's {@code disk_processed}).
 */
public record MigrationResult(long downtimeMs, long bytesTransferred, long totalMs, long diskBytes) {

    /** A migration that copied no disks (or whose driver does not count disk bytes: {@code diskBytes} -1). */
    public MigrationResult(long downtimeMs, long bytesTransferred, long totalMs) {
        this(downtimeMs, bytesTransferred, totalMs, -1);
    }
}
