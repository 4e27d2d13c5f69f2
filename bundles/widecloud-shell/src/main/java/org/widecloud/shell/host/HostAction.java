package org.widecloud.shell.host;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.widecloud.api.model.Host;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.support.OneArgumentAction;
import org.widecloud.shell.support.RefNames;

/** A host command that prints the host it acted on. */
abstract class HostAction extends OneArgumentAction {

    @Reference
    HostService hostService;

    @Reference
    SiteService siteService;

    void print(Host h) {
        HostView.print(h, new RefNames(id -> siteService.get(id).name()), out());
    }
}
