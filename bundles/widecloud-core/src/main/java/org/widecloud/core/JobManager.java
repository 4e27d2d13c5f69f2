package org.widecloud.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.JobService;
import org.widecloud.api.service.NotFoundException;
import org.widecloud.api.store.CloudStore;

/**
 * Runs long operations as jobs: each is recorded (PENDING) before it acts, marked RUNNING, and ends
 * SUCCEEDED or FAILED with the reason. Jobs left unfinished by a stopped controller are closed as FAILED at
 * the next start; the reconciler settles the state of what they touched.
 */
@Component(service = { JobManager.class, JobService.class }, configurationPid = CoreConfig.PID)
public class JobManager implements JobService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    /** The work of a job. Throw to fail it; the message becomes the job's error. */
    @FunctionalInterface
    public interface Body {
        void run(Progress progress) throws Exception;
    }

    /** Reports how far a job is. */
    public interface Progress {
        void update(int percent, String step);
    }

    private final CloudStore store;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<Job>> running = new ConcurrentHashMap<>();
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    @Activate
    public JobManager(@Reference CloudStore store, CoreConfig config) {
        this(store, Settings.from(config));
    }

    public JobManager(CloudStore store, Settings settings) {
        this.store = store;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "widecloud-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(settings.jobThreads(), threads);
        closeUnfinished();
    }

    private void closeUnfinished() {
        for (Job j : store.unfinishedJobs()) {
            LOG.warn("job {} ({} {}) was {} when the controller stopped; closing it as failed", j.id(), j.type(),
                    j.target(), j.state());
            store.updateJob(j.with(JobState.FAILED, j.progress(), j.step(),
                    "the controller stopped while this job ran; the target's state was re-read from its host"));
        }
    }

    @Deactivate
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A new PENDING job record; the caller stores it (possibly in its own transaction) and then {@link #run}s it. */
    public Job newJob(String type, String targetType, String target, String user) {
        Instant now = Instant.now();
        return new Job(UUID.randomUUID().toString(), type, targetType, target, JobState.PENDING, 0, "queued", null,
                user, now, now, 0);
    }

    /** Records and runs a job. */
    public Job submit(String type, String targetType, String target, String user, Body body, Runnable whenDone) {
        Job job = newJob(type, targetType, target, user);
        store.insertJob(job);
        return run(job, body, whenDone);
    }

    /**
     * Runs an already stored job on a job thread. {@code whenDone} runs after the job's final state is stored,
     * whatever it is (releases locks).
     */
    public Job run(Job job, Body body, Runnable whenDone) {
        CompletableFuture<Job> done = new CompletableFuture<>();
        running.put(job.id(), done);
        try {
            executor.execute(() -> execute(job, body, whenDone, done));
        } catch (RuntimeException e) {
            running.remove(job.id());
            Job failed = store.updateJob(job.with(JobState.FAILED, 0, "rejected", "the controller is shutting down"));
            whenDone.run();
            return failed;
        }
        return job;
    }

    private void execute(Job pending, Body body, Runnable whenDone, CompletableFuture<Job> done) {
        // Progress lives in memory (get and list show it) and reaches the store at most once a second; that the job
        // runs, and how it ended, are always stored.
        Live live = new Live(pending);
        this.live.put(pending.id(), live);
        Job result;
        try {
            live.current = store.updateJob(pending.with(JobState.RUNNING, 0, "started", null));
            body.run(live::progress);
            // Released before the final state is stored: whoever sees the job ended may act on its target at once.
            release(whenDone);
            // A body may leave a summary of what it did as its last step ("done: ..."); it is the job's result.
            String last = live.current.step();
            result = store.updateJob(live.current.with(JobState.SUCCEEDED, 100,
                    last != null && last.startsWith("done") ? last : "done", null));
        } catch (Throwable e) {
            release(whenDone);
            String reason = reason(e);
            if (!(e instanceof CloudException)) {
                LOG.warn("job {} ({} {}) failed: {}", pending.id(), pending.type(), pending.target(), reason, e);
            }
            Job failed = live.current.with(JobState.FAILED, live.current.progress(), live.current.step(), reason);
            try {
                result = store.updateJob(failed);
            } catch (RuntimeException storeDown) {
                LOG.error("cannot record the failure of job {}", pending.id(), storeDown);
                result = failed;
            }
        }
        this.live.remove(pending.id());
        running.remove(pending.id());
        done.complete(result);
    }

    /** The state of a running job, written through to the store at most once a second. */
    private final class Live {
        volatile Job current;
        private long storedAt = System.nanoTime();

        Live(Job start) {
            current = start;
        }

        void progress(int percent, String step) {
            int p = Math.max(0, Math.min(99, percent));
            current = current.with(JobState.RUNNING, p, step, null);
            long now = System.nanoTime();
            if (now - storedAt > 1_000_000_000L) {
                storedAt = now;
                current = store.updateJob(current);
            }
        }
    }

    private static void release(Runnable whenDone) {
        try {
            whenDone.run();
        } catch (RuntimeException e) {
            LOG.warn("releasing a job's target failed", e);
        }
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public Job get(String id) {
        Live l = live.get(id);
        if (l != null) {
            return l.current;
        }
        return store.job(id).orElseThrow(() -> new NotFoundException(null, "job", id));
    }

    @Override
    public Page<Job> list(PageRequest page, String target, String state) {
        String s = state == null ? null : Enums.parse("state", JobState.class, state).name();
        Page<Job> stored = store.jobs(page, target, s);
        if (live.isEmpty()) {
            return stored;
        }
        return stored.map(j -> {
            Live l = live.get(j.id());
            return l == null ? j : l.current;
        });
    }

    @Override
    public Job await(String id, Duration timeout) throws InterruptedException {
        CompletableFuture<Job> f = running.get(id);
        if (f != null) {
            try {
                return f.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return get(id);
            } catch (ExecutionException e) {
                return get(id);
            }
        }
        return get(id);
    }
}
