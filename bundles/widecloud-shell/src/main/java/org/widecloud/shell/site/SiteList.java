package org.widecloud.shell.site;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "site-list", description = "Lists sites")
public class SiteList extends ListAction<Site> {

    @Reference
    SiteService siteService;

    @Override
    protected Page<Site> fetch(PageRequest page) {
        return siteService.list(page);
    }

    @Override
    protected List<String> columns() {
        return SiteView.COLUMNS;
    }

    @Override
    protected List<Object> row(Site item) {
        return SiteView.row(item);
    }

    @Override
    protected String emptyText() {
        return "No sites";
    }
}
