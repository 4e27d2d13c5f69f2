package org.widecloud.shell.pool;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.PoolCompleter;

@Service
@Command(scope = "cloud", name = "pool-show", description = "Shows a storage pool (secrets masked)")
public class PoolShow extends PoolAction {

    @Argument(index = 0, name = "pool", description = "Name or id of the pool", required = true)
    @Completion(PoolCompleter.class)
    String pool;

    @Override
    protected void run() {
        print(poolService.get(pool));
    }
}
