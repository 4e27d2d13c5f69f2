package org.widecloud.shell.support;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Terminal;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.service.JobService;

/**
 * A command whose work runs as a job. It follows the job with a progress line until it ends, then prints the
 * final state; a failed job fails the command with the job's error. {@code --async} prints the job id at once.
 * Every job command names what it acts on (a VM, a job), hence one argument.
 */
public abstract class JobAction extends OneArgumentAction {

    @Reference
    protected JobService jobService;

    @Option(name = "--async", description = "Print the job id and return at once instead of following the job")
    protected boolean async;

    @Override
    protected final void run() throws Exception {
        Job job = submit();
        if (async) {
            out().println(job.id());
            return;
        }
        follow(job, followTimeout());
    }

    /** How long to follow the job before giving up; null: until it ends. */
    protected Duration followTimeout() {
        return null;
    }

    /** Starts the work; validation errors are thrown from here and nothing is changed. */
    protected abstract Job submit();

    /** Prints what the user wants to see once the job succeeded (the VM's new state, ...). */
    protected void succeeded(Job job) {
    }

    /** Follows the job until it ends or {@code timeout} (null: none) passed, and reports the outcome. */
    protected Job follow(Job job, Duration timeout) throws Exception {
        Job last;
        try {
            last = new JobFollower(jobService, out(), interactive(), width()).follow(job, timeout);
        } catch (InterruptedException e) {
            out().println("Stopped following job " + job.id() + "; it goes on: cloud:job-wait " + job.id());
            Thread.currentThread().interrupt();
            return job;
        }
        out().println("Job " + last.id() + " (" + last.type() + ") " + last.state());
        if (last.state() == JobState.FAILED) {
            throw failure(last.error() != null ? last.error() : "job " + last.id() + " failed", null);
        }
        if (!last.isDone()) {
            throw failure("job " + last.id() + " still " + last.state() + " after " + timeout.toSeconds() + " s",
                    null);
        }
        succeeded(last);
        return last;
    }

    /** A progress line only makes sense on a terminal; headless sessions (scripts, bin/client -b) get none. */
    protected boolean interactive() {
        Terminal terminal = session != null ? session.getTerminal() : null;
        return terminal != null && terminal.getWidth() > 0 && !"dumb".equals(terminal.getType());
    }

    private int width() {
        Terminal terminal = session != null ? session.getTerminal() : null;
        return terminal != null ? terminal.getWidth() : 0;
    }

    /** For tests and embedding: {@code --async}. */
    public void setAsync(boolean async) {
        this.async = async;
    }

    /** For tests: sets the job service. */
    public void setJobService(JobService jobService) {
        this.jobService = jobService;
    }
}
