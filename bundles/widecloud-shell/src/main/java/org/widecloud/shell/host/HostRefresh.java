package org.widecloud.shell.host;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.HostCompleter;

@Service
@Command(scope = "cloud", name = "host-refresh", description = "Reconnects to a host and re-reads its facts and VM states")
public class HostRefresh extends HostAction {

    @Argument(index = 0, name = "host", description = "Name or id of the host", required = true)
    @Completion(HostCompleter.class)
    String host;

    @Override
    protected void run() {
        print(hostService.refresh(user(), host));
    }
}
