package org.widecloud.shell.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widecloud.shell.support.ProgressLineTest.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.JobService;

class JobFollowerTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void drawsEachChangeAndEndsWithTheFinalLine() throws Exception {
        Job pending = job(JobState.PENDING, 0, "queued", null);
        ScriptedJobs jobs = new ScriptedJobs(job(JobState.RUNNING, 30, "defining", null),
                job(JobState.RUNNING, 30, "defining", null), job(JobState.RUNNING, 70, "starting", null),
                job(JobState.SUCCEEDED, 100, "done", null));

        Job last = new JobFollower(jobs, out, true, 80).follow(pending, null);

        assertEquals(JobState.SUCCEEDED, last.state());
        String[] frames = output().split("\r", -1);
        assertEquals("", frames[0]);
        assertEquals("[          ]   0% queued", frames[1].stripTrailing());
        assertEquals("[###       ]  30% defining", frames[2].stripTrailing());
        assertEquals("[#######   ]  70% starting", frames[3].stripTrailing());
        assertEquals("[##########] 100% done    " + System.lineSeparator(), frames[4], "padded over the longer line");
        assertEquals(5, frames.length, "an unchanged record is not redrawn");
        assertEquals(List.of(JobFollower.SLICE, JobFollower.SLICE, JobFollower.SLICE, JobFollower.SLICE,
                JobFollower.SETTLE), jobs.waits, "short slices, then one wait for the ended job to settle");
    }

    @Test
    void headlessSessionsGetNoProgressOutput() throws Exception {
        ScriptedJobs jobs = new ScriptedJobs(job(JobState.RUNNING, 50, "x", null),
                job(JobState.FAILED, 50, "x", "boom"));

        Job last = new JobFollower(jobs, out, false, 0).follow(job(JobState.PENDING, 0, "queued", null), null);

        assertEquals(JobState.FAILED, last.state());
        assertEquals("boom", last.error());
        assertEquals("", output());
    }

    @Test
    void aJobAlreadyDoneIsNotWaitedFor() throws Exception {
        ScriptedJobs jobs = new ScriptedJobs();
        Job done = job(JobState.SUCCEEDED, 100, "done", null);

        assertEquals(done, new JobFollower(jobs, out, true, 80).follow(done, null));
        assertTrue(jobs.waits.isEmpty());
        assertEquals("\r[##########] 100% done" + System.lineSeparator(), output());
    }

    @Test
    void givesUpAtTheTimeoutWithTheJobStillRunning() throws Exception {
        Job running = job(JobState.RUNNING, 10, "slow", null);
        ScriptedJobs jobs = new ScriptedJobs(running);
        Duration timeout = Duration.ofMillis(100);

        Job last = new JobFollower(jobs, out, true, 80).follow(running, timeout);

        assertFalse(last.isDone());
        assertFalse(jobs.waits.isEmpty());
        assertTrue(jobs.waits.stream().allMatch(w -> w.compareTo(timeout) <= 0), "no wait outlasts the timeout");
        assertEquals("\r[#         ]  10% slow" + System.lineSeparator(), output(),
                "the line is ended so the next output starts clean");
    }

    @Test
    void interruptEndsTheLineAndPropagates() {
        JobService interrupted = new JobService() {
            @Override
            public Job get(String id) {
                return null;
            }

            @Override
            public Page<Job> list(PageRequest page, String target, String state) {
                return null;
            }

            @Override
            public Job await(String id, Duration timeout) throws InterruptedException {
                throw new InterruptedException();
            }
        };

        assertThrows(InterruptedException.class, () -> new JobFollower(interrupted, out, true, 80)
                .follow(job(JobState.RUNNING, 40, "x", null), null));
        assertEquals("\r[####      ]  40% x" + System.lineSeparator(), output());
    }
}
