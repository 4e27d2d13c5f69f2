package org.widecloud.rest;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.service.JobService;

/**
 * Answers for operations that run as jobs: 202 + Location of the job; with {@code Prefer: wait=N} the job is
 * awaited up to N seconds and a finished job is answered with 200 (or, for a finished create, 201 + Location
 * and body of what it created).
 */
final class JobResponses {
    static final String PREFERENCE_APPLIED = "Preference-Applied";

    private final JobService jobs;

    JobResponses(JobService jobs) {
        this.jobs = jobs;
    }

    Response respond(Job job, List<String> prefer, UriInfo uri) {
        return respond(job, prefer, uri, null, null);
    }

    /**
     * {@code created} maps a succeeded job to the object it created (null: not a create); {@code collection} is
     * where that object lives.
     */
    Response respond(Job job, List<String> prefer, UriInfo uri, String collection, Function<Job, Object> created) {
        OptionalInt wait = Prefer.waitSeconds(prefer);
        Job current = job;
        if (wait.isPresent() && !job.isDone() && wait.getAsInt() > 0) {
            try {
                current = jobs.await(job.id(), Duration.ofSeconds(wait.getAsInt()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        URI jobUri = Links.to(uri, "jobs", current.id());
        Response.ResponseBuilder b;
        if (wait.isEmpty() || !current.isDone()) {
            b = Response.accepted(current).location(jobUri);
        } else if (created != null && current.state() == JobState.SUCCEEDED && current.target() != null) {
            b = Response.created(Links.to(uri, collection, current.target()))
                    .entity(created.apply(current)).contentLocation(null);
        } else {
            b = Response.ok(current).contentLocation(jobUri);
        }
        if (wait.isPresent()) {
            b.header(PREFERENCE_APPLIED, "wait=" + wait.getAsInt());
        }
        return b.build();
    }
}
