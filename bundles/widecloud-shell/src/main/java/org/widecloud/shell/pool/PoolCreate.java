package org.widecloud.shell.pool;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.support.KeyValues;

@Service
@Command(scope = "cloud", name = "pool-create", description = "Creates a storage pool: site-local with --site, "
        + "wide-area (reached from every site) without")
public class PoolCreate extends PoolAction {

    @Argument(index = 0, name = "name", description = "Name of the new pool", required = true)
    String name;

    @Option(name = "--backend", aliases = "-b", description = "Storage backend: local or iscsi", required = true)
    String backend;

    @Option(name = "--site", aliases = "-s", description = "Site whose hosts use it (name or id); none: wide-area")
    @Completion(SiteCompleter.class)
    String site;

    @Option(name = "--param", aliases = "-p", description = "Backend parameter key=value (repeatable), e.g. "
            + "path=/srv/pool or chap.secret=...", multiValued = true)
    List<String> params;

    @Override
    protected void run() {
        print(poolService.create(user(), new Requests.PoolCreate(name, site, backend,
                KeyValues.parse("param", params))));
    }
}
