package org.widecloud.shell.host;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.HostCompleter;

@Service
@Command(scope = "cloud", name = "host-delete", description = "Removes a host (refused while VMs are defined on it)")
public class HostDelete extends HostAction {

    @Argument(index = 0, name = "host", description = "Name or id of the host", required = true)
    @Completion(HostCompleter.class)
    String host;

    @Override
    protected void run() {
        hostService.delete(user(), host);
        out().println("Host " + host + " deleted");
    }
}
