package org.widecloud.shell.pool;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.widecloud.api.model.Pool;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.support.OneArgumentAction;
import org.widecloud.shell.support.RefNames;

/** A pool command that prints the pool it created, changed or read. */
abstract class PoolAction extends OneArgumentAction {

    @Reference
    PoolService poolService;

    @Reference
    SiteService siteService;

    void print(Pool p) {
        PoolView.print(p, new RefNames(id -> siteService.get(id).name()), out());
    }
}
