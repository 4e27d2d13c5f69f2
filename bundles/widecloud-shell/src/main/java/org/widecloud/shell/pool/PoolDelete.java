package org.widecloud.shell.pool;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.PoolService;
import org.widecloud.shell.completers.PoolCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "pool-delete", description = "Deletes a storage pool (refused while it holds volumes)")
public class PoolDelete extends OneArgumentAction {

    @Reference
    PoolService poolService;

    @Argument(index = 0, name = "pool", description = "Name or id of the pool", required = true)
    @Completion(PoolCompleter.class)
    String pool;

    @Override
    protected void run() {
        poolService.delete(user(), pool);
        out().println("Pool " + pool + " deleted");
    }
}
