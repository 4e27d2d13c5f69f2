package org.widecloud.shell.vm;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.widecloud.api.model.Vm;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.VmService;
import org.widecloud.shell.support.OneArgumentAction;

/** A VM command that prints the VM it acted on. */
abstract class VmInfoAction extends OneArgumentAction {

    @Reference
    VmService vmService;

    @Reference
    HostService hostService;

    @Reference
    ImageService imageService;

    @Reference
    NetworkService networkService;

    void print(Vm vm) {
        VmView.print(vm, VmRefs.names(hostService, imageService, networkService), out());
    }
}
