package org.widecloud.shell.job;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.JobService;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "job-list", description = "Lists jobs, newest first")
public class JobList extends ListAction<Job> {

    @Reference
    JobService jobService;

    @Option(name = "--target", description = "Only jobs acting on this object (id)")
    String target;

    @Option(name = "--state", description = "Only jobs in this state")
    @Completion(value = StringsCompleter.class, values = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED"})
    String state;

    @Override
    protected Page<Job> fetch(PageRequest page) {
        return jobService.list(page, target, state);
    }

    @Override
    protected List<String> columns() {
        return JobView.COLUMNS;
    }

    @Override
    protected List<Object> row(Job item) {
        return JobView.row(item);
    }

    @Override
    protected String emptyText() {
        return "No jobs";
    }
}
