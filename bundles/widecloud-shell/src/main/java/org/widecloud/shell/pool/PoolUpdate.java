package org.widecloud.shell.pool;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.PoolCompleter;
import org.widecloud.shell.support.KeyValues;

@Service
@Command(scope = "cloud", name = "pool-update", description = "Changes a storage pool; options not given stay as "
        + "they are")
public class PoolUpdate extends PoolAction {

    @Argument(index = 0, name = "pool", description = "Name or id of the pool", required = true)
    @Completion(PoolCompleter.class)
    String pool;

    @Option(name = "--name", description = "New name")
    String name;

    @Option(name = "--state", description = "ACTIVE, or MAINTENANCE (no new volumes placed there)")
    String state;

    @Option(name = "--param", aliases = "-p", description = "Backend parameter key=value (repeatable; replaces all "
            + "parameters; only while the pool holds no volume)", multiValued = true)
    List<String> params;

    @Option(name = "--version", description = "Refuse the change unless the pool is still at this version")
    Long version;

    @Override
    protected void run() {
        print(poolService.update(user(), pool, new Requests.PoolUpdate(name, state, KeyValues.parse("param", params),
                version)));
    }
}
