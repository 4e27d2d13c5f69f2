package org.widecloud.shell.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.JobService;
import org.widecloud.shell.support.CoreTest;
import org.widecloud.shell.support.ShellRun;
import org.widecloud.shell.support.ShellRun.Result;

class JobWaitTest extends CoreTest {

    /** A job that never ends, and a wait that is interrupted as Ctrl-C interrupts a Karaf command. */
    static final class InterruptedWait implements JobService {
        final Job running = new Job("j-1", "vm.stop", "vm", "v-1", JobState.RUNNING, 40, "shutting down", null,
                "alice", Instant.now(), Instant.now(), 0);

        @Override
        public Job get(String id) {
            return running;
        }

        @Override
        public Page<Job> list(PageRequest page, String target, String state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Job await(String id, Duration timeout) throws InterruptedException {
            throw new InterruptedException();
        }
    }

    @Test
    void ctrlCStopsFollowingAndSaysHowToFollowAgain() throws Exception {
        JobWait w = new JobWait();
        w.setJobService(new InterruptedWait());
        w.job = "j-1";
        w.setSession(ShellRun.session(80, java.util.Map.of()));
        Result r;
        try {
            r = ShellRun.run(w);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept for Karaf (and cleared here)");
        }
        assertNull(r.error());
        assertEquals("\r[####      ]  40% shutting down" + System.lineSeparator()
                + "Stopped following job j-1; it goes on: cloud:job-wait j-1" + System.lineSeparator(), r.out());
    }

    @Test
    void anUnknownJobIsOneLine() throws Exception {
        Result r = run(new JobCommands(core).waitFor("nope", null));
        assertEquals("Error: no job 'nope'", r.error());
    }

    @Test
    void aTimeoutMustBePositive() throws Exception {
        assertEquals("Error: timeout: must be more than 0 seconds", run(new JobCommands(core).waitFor("x", 0L)).error());
    }
}
