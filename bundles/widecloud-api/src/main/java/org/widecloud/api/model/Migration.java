package org.widecloud.api.model;

import java.time.Instant;

/**
 * The journal of one live migration: which VM, from where to where, the step it is at, what the hypervisor
 * measured ({@code downtimeMs}, {@code bytesTransferred}, {@code totalMs}) and, in the lab, the service gap a
 * client saw ({@code gapMs}, null elsewhere). {@code error} says why it was rolled back.
 */
public record Migration(String id, String vm, String job, String sourceHost, String targetHost, MigrationStep step,
        Long downtimeMs, Long bytesTransferred, Long totalMs, Long gapMs, String error, Instant created,
        Instant updated, long version) {

    public Migration at(MigrationStep s) {
        return new Migration(id, vm, job, sourceHost, targetHost, s, downtimeMs, bytesTransferred, totalMs, gapMs, error,
                created, Instant.now(), version);
    }

    public Migration failed(String why) {
        return new Migration(id, vm, job, sourceHost, targetHost, MigrationStep.ROLLING_BACK, downtimeMs,
                bytesTransferred, totalMs, gapMs, why, created, Instant.now(), version);
    }

    public Migration withGap(Long gap) {
        return new Migration(id, vm, job, sourceHost, targetHost, step, downtimeMs, bytesTransferred, totalMs, gap, error,
                created, Instant.now(), version);
    }

    public Migration measured(long downtime, long bytes, long total) {
        return new Migration(id, vm, job, sourceHost, targetHost, step, downtime, bytes, total, gapMs, error, created,
                Instant.now(), version);
    }
}
