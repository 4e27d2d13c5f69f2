package org.widecloud.shell.support;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

import org.widecloud.api.model.Job;
import org.widecloud.api.service.JobService;

/**
 * Follows a job until it ends. Waiting is {@link JobService#await} in short slices, so the progress line
 * moves while the job runs and Ctrl-C (a thread interrupt in Karaf) stops following at once.
 */
public final class JobFollower {
    /** How long one wait lasts before the progress line is redrawn. */
    static final Duration SLICE = Duration.ofMillis(200);
    /** How long to let a job that just ended finish its own cleanup (see {@link #follow}). */
    static final Duration SETTLE = Duration.ofSeconds(2);

    private final JobService jobs;
    private final PrintStream out;
    private final boolean interactive;
    private final int width;

    /** {@code interactive}: draw a progress line while waiting (only on a terminal). */
    public JobFollower(JobService jobs, PrintStream out, boolean interactive, int width) {
        this.jobs = jobs;
        this.out = out;
        this.interactive = interactive;
        this.width = width;
    }

    /**
     * Returns the job's last record: done, or still running when {@code timeout} (null: none) passed.
     *
     * @throws InterruptedException when the user interrupts; the progress line is ended first
     */
    public Job follow(Job job, Duration timeout) throws InterruptedException {
        ProgressLine line = interactive ? new ProgressLine(out, width) : null;
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        Job current = job;
        boolean waited = false;
        try {
            while (!current.isDone()) {
                if (line != null) {
                    line.update(current);
                }
                Duration wait = SLICE;
                if (deadline != null) {
                    Duration left = Duration.between(Instant.now(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        break;
                    }
                    wait = left.compareTo(SLICE) < 0 ? left : SLICE;
                }
                current = jobs.await(current.id(), wait);
                waited = true;
            }
            if (waited && current.isDone()) {
                // A wait that timed out re-reads the job's record, which can show it done while the job still
                // releases what it held (core unlocks the VM just after storing the final state). Awaiting the
                // ended job once more returns when it has really finished, so that the user's next command does
                // not find the VM busy.
                current = jobs.await(current.id(), SETTLE);
            }
        } catch (InterruptedException e) {
            if (line != null) {
                line.abandon();
            }
            throw e;
        }
        if (line != null) {
            if (current.isDone()) {
                line.finish(current);
            } else {
                line.update(current);
                line.abandon();
            }
        }
        return current;
    }
}
