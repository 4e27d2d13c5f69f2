package org.widecloud.shell.host;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.HostCompleter;

@Service
@Command(scope = "cloud", name = "host-show", description = "Shows a host")
public class HostShow extends HostAction {

    @Argument(index = 0, name = "host", description = "Name or id of the host", required = true)
    @Completion(HostCompleter.class)
    String host;

    @Override
    protected void run() {
        print(hostService.get(host));
    }
}
