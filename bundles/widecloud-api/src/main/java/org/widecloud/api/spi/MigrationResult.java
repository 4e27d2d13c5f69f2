package org.widecloud.api.spi;

/** What the hypervisor reports after a migration; -1 for what it does not measure (XAPI reports no downtime). */
public record MigrationResult(long downtimeMs, long bytesTransferred, long totalMs) {
}
