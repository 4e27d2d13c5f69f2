package org.widecloud.api.model;

import java.time.Instant;

/**
 * A long operation. {@code targetType}/{@code target} name what it acts on (e.g. {@code vm} and the VM's id).
 * {@code progress} is 0..100. {@code step} is the step it runs now (for a progress line), {@code error} why it
 * failed.
 */
public record Job(String id, String type, String targetType, String target, JobState state, int progress,
        String step, String error, String user, Instant created, Instant updated, long version) {

    public Job with(JobState s, int p, String st, String err) {
        return new Job(id, type, targetType, target, s, p, st, err, user, created, Instant.now(), version);
    }

    public boolean isDone() {
        return state == JobState.SUCCEEDED || state == JobState.FAILED;
    }
}
