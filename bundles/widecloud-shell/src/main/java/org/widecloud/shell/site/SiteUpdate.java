package org.widecloud.shell.site;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.SiteService;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "site-update", description = "Changes a site; options not given stay as they are")
public class SiteUpdate extends OneArgumentAction {

    @Reference
    SiteService siteService;

    @Argument(index = 0, name = "site", description = "Name or id of the site", required = true)
    @Completion(SiteCompleter.class)
    String site;

    @Option(name = "--name", description = "New name")
    String name;

    @Option(name = "--description", aliases = "-d", description = "New description")
    String description;

    @Option(name = "--state", description = "ACTIVE or MAINTENANCE")
    @Completion(value = StringsCompleter.class, values = {"ACTIVE", "MAINTENANCE"})
    String state;

    @Option(name = "--version", description = "Refuse the change unless the site is still at this version")
    Long version;

    @Override
    protected void run() {
        SiteView.print(siteService.update(user(), site, new Requests.SiteUpdate(name, description, state, version)),
                out());
    }
}
