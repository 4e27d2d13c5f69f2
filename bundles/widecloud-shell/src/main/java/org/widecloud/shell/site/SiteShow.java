package org.widecloud.shell.site;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "site-show", description = "Shows a site")
public class SiteShow extends OneArgumentAction {

    @Reference
    SiteService siteService;

    @Argument(index = 0, name = "site", description = "Name or id of the site", required = true)
    @Completion(SiteCompleter.class)
    String site;

    @Override
    protected void run() {
        SiteView.print(siteService.get(site), out());
    }
}
