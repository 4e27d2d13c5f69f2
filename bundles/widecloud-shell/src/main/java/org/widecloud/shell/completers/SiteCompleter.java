package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.SiteService;

@Service
public class SiteCompleter extends RefCompleter {

    @Reference
    SiteService siteService;

    public SiteCompleter() {
    }

    public SiteCompleter(SiteService siteService) {
        this.siteService = siteService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, siteService.list(firstPage()).items());
        return values;
    }
}
