package org.widecloud.shell.support;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.JobService;

/**
 * A job service that replays given records of one job, one per {@link #await} call, then repeats the last:
 * makes the progress line's output exact, which a real job's timing cannot. Records the waits asked for.
 */
final class ScriptedJobs implements JobService {
    private final Deque<Job> next;
    private Job last;
    final List<Duration> waits = new ArrayList<>();

    ScriptedJobs(Job... records) {
        next = new ArrayDeque<>(List.of(records));
        last = next.peekFirst();
    }

    @Override
    public Job get(String id) {
        return last;
    }

    @Override
    public Page<Job> list(PageRequest page, String target, String state) {
        return new Page<>(List.of(last), 1, page.offset(), page.limit());
    }

    @Override
    public Job await(String id, Duration timeout) throws InterruptedException {
        waits.add(timeout);
        if (!next.isEmpty()) {
            last = next.pollFirst();
        }
        return last;
    }
}
