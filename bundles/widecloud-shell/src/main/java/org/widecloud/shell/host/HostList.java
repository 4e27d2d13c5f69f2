package org.widecloud.shell.host;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.support.ListAction;
import org.widecloud.shell.support.RefNames;

@Service
@Command(scope = "cloud", name = "host-list", description = "Lists hypervisor hosts")
public class HostList extends ListAction<Host> {

    @Reference
    HostService hostService;

    @Reference
    SiteService siteService;

    @Option(name = "--site", aliases = "-s", description = "Only hosts of this site (name or id)")
    @Completion(SiteCompleter.class)
    String site;

    private RefNames sites;

    @Override
    protected Page<Host> fetch(PageRequest page) {
        sites = new RefNames(id -> siteService.get(id).name());
        return hostService.list(page, site);
    }

    @Override
    protected List<String> columns() {
        return HostView.COLUMNS;
    }

    @Override
    protected List<Object> row(Host item) {
        return HostView.row(item, sites);
    }

    @Override
    protected String emptyText() {
        return "No hosts";
    }
}
