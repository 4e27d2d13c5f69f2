package org.widecloud.api.spi;

/** What the hypervisor reports after a migration. */
public record MigrationResult(long downtimeMs, long bytesTransferred, long totalMs) {
}
