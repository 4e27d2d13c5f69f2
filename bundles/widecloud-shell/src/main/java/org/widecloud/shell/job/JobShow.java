package org.widecloud.shell.job;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.JobService;
import org.widecloud.shell.completers.JobCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "job-show", description = "Shows a job")
public class JobShow extends OneArgumentAction {

    @Reference
    JobService jobService;

    @Argument(index = 0, name = "job", description = "Id of the job", required = true)
    @Completion(JobCompleter.class)
    String job;

    @Override
    protected void run() {
        JobView.print(jobService.get(job), out());
    }
}
