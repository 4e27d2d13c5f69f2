package org.widecloud.shell.host;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.HostCompleter;

@Service
@Command(scope = "cloud", name = "host-update", description = "Changes a host; options not given stay as they are")
public class HostUpdate extends HostAction {

    @Argument(index = 0, name = "host", description = "Name or id of the host", required = true)
    @Completion(HostCompleter.class)
    String host;

    @Option(name = "--name", description = "New name")
    String name;

    @Option(name = "--uri", aliases = "-u", description = "New driver URI")
    String uri;

    @Option(name = "--state", description = "MAINTENANCE to keep placement away, UP to take it back")
    @Completion(value = StringsCompleter.class, values = {"UP", "MAINTENANCE"})
    String state;

    @Option(name = "--address", description = "New underlay address (tunnel endpoint)")
    String address;

    @Option(name = "--executor", description = "New executor: local, netns:NAME, ssh://user@host[:port]")
    String executor;

    @Option(name = "--version", description = "Refuse the change unless the host is still at this version")
    Long version;

    @Override
    protected void run() {
        print(hostService.update(user(), host, new Requests.HostUpdate(name, uri, state, version, address, executor)));
    }
}
