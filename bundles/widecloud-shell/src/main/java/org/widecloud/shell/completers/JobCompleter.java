package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.JobService;

/** Jobs have no name: completes the ids of the newest jobs. */
@Service
public class JobCompleter extends RefCompleter {

    @Reference
    JobService jobService;

    public JobCompleter() {
    }

    public JobCompleter(JobService jobService) {
        this.jobService = jobService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        for (Job j : jobService.list(firstPage(), null, null).items()) {
            values.add(j.id());
        }
        return values;
    }
}
