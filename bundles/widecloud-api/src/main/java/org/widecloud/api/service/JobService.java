package org.widecloud.api.service;

import java.time.Duration;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface JobService {
    Job get(String id);

    /** Newest first; {@code target} and {@code state} filter when not null. */
    Page<Job> list(PageRequest page, String target, String state);

    /** Waits until the job is done or {@code timeout} passed, and returns its latest record. */
    Job await(String id, Duration timeout) throws InterruptedException;
}
