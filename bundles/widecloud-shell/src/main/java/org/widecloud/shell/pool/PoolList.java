package org.widecloud.shell.pool;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.support.ListAction;
import org.widecloud.shell.support.RefNames;

@Service
@Command(scope = "cloud", name = "pool-list", description = "Lists storage pools")
public class PoolList extends ListAction<Pool> {

    @Reference
    PoolService poolService;

    @Reference
    SiteService siteService;

    @Option(name = "--site", aliases = "-s", description = "Only pools this site's hosts use: its own and the "
            + "wide-area ones (name or id)")
    @Completion(SiteCompleter.class)
    String site;

    private RefNames sites;

    @Override
    protected Page<Pool> fetch(PageRequest page) {
        sites = new RefNames(id -> siteService.get(id).name());
        return poolService.list(page, site);
    }

    @Override
    protected List<String> columns() {
        return PoolView.COLUMNS;
    }

    @Override
    protected List<Object> row(Pool item) {
        return PoolView.row(item, sites);
    }

    @Override
    protected String emptyText() {
        return "No pools";
    }
}
