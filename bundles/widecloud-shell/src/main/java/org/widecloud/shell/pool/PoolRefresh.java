package org.widecloud.shell.pool;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.PoolCompleter;

@Service
@Command(scope = "cloud", name = "pool-refresh", description = "Asks the backend for a pool's capacity and use now")
public class PoolRefresh extends PoolAction {

    @Argument(index = 0, name = "pool", description = "Name or id of the pool", required = true)
    @Completion(PoolCompleter.class)
    String pool;

    @Override
    protected void run() {
        print(poolService.refresh(user(), pool));
    }
}
