package org.widecloud.api.spi;

/** Called by a driver while it migrates. */
@FunctionalInterface
public interface MigrationProgress {
    void update(int percent, long bytesTransferred, long bytesTotal);
}
