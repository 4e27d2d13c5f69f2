package org.widecloud.shell.vm;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.VmService;
import org.widecloud.shell.support.JobAction;

/** A VM operation that runs as a job; once it succeeded, prints the VM's new state. */
abstract class VmJobAction extends JobAction {

    @Reference
    VmService vmService;

    @Reference
    HostService hostService;

    @Reference
    ImageService imageService;

    @Reference
    NetworkService networkService;

    @Override
    protected void succeeded(Job job) {
        if (job.target() == null) {
            return;
        }
        try {
            out().println(VmView.summary(vmService.get(job.target()),
                    VmRefs.names(hostService, imageService, networkService)));
        } catch (CloudException e) {
            // gone already (deleted by this job or by someone else): the job's state says enough
        }
    }
}
