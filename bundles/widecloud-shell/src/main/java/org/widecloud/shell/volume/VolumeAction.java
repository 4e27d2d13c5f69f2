package org.widecloud.shell.volume;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.VmService;
import org.widecloud.api.service.VolumeService;
import org.widecloud.shell.support.OneArgumentAction;

/** A volume command that prints the volume it created, changed or read. */
abstract class VolumeAction extends OneArgumentAction {

    @Reference
    VolumeService volumeService;

    @Reference
    PoolService poolService;

    @Reference
    HostService hostService;

    @Reference
    ImageService imageService;

    @Reference
    VmService vmService;

    void print(Volume v) {
        new VolumeView(poolService, hostService, imageService, vmService).print(v, out());
    }
}
