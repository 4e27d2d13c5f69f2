package org.widecloud.shell.vm;

import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.shell.support.RefNames;

/** Name lookups for the references a VM holds. */
final class VmRefs {
    private VmRefs() {
    }

    static VmView.Names names(HostService hosts, ImageService images, NetworkService networks) {
        return new VmView.Names(new RefNames(id -> hosts.get(id).name()), new RefNames(id -> images.get(id).name()),
                new RefNames(id -> networks.get(id).name()));
    }
}
