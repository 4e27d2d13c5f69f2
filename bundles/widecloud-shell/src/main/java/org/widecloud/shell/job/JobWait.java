package org.widecloud.shell.job;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.ValidationException;
import org.widecloud.shell.completers.JobCompleter;
import org.widecloud.shell.support.JobAction;

@Service
@Command(scope = "cloud", name = "job-wait", description = "Follows a job with a progress line until it ends")
public class JobWait extends JobAction {

    @Argument(index = 0, name = "job", description = "Id of the job", required = true)
    @Completion(JobCompleter.class)
    String job;

    @Option(name = "--timeout", aliases = "-t", description = "Give up (and fail) after this many seconds")
    Long timeout;

    @Override
    protected Job submit() {
        if (timeout != null && timeout <= 0) {
            throw new ValidationException("timeout", "must be more than 0 seconds");
        }
        return jobService.get(job);
    }

    @Override
    protected Duration followTimeout() {
        return timeout == null ? null : Duration.ofSeconds(timeout);
    }
}
