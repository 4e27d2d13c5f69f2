package org.widecloud.shell.site;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "site-create", description = "Creates a site")
public class SiteCreate extends OneArgumentAction {

    @Reference
    SiteService siteService;

    @Argument(index = 0, name = "name", description = "Name of the new site", required = true)
    String name;

    @Option(name = "--description", aliases = "-d", description = "Free text describing the site")
    String description;

    @Override
    protected void run() {
        SiteView.print(siteService.create(user(), new Requests.SiteCreate(name, description)), out());
    }
}
