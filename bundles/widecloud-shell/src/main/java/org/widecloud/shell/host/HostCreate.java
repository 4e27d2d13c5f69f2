package org.widecloud.shell.host;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.SiteCompleter;

@Service
@Command(scope = "cloud", name = "host-create", description = "Registers a hypervisor host and reads its facts")
public class HostCreate extends HostAction {

    @Argument(index = 0, name = "name", description = "Name of the new host", required = true)
    String name;

    @Option(name = "--site", aliases = "-s", description = "Site (name or id) the host belongs to")
    @Completion(SiteCompleter.class)
    String site;

    @Option(name = "--driver", aliases = "-d", description = "Hypervisor driver type, e.g. kvm")
    String driver;

    @Option(name = "--uri", aliases = "-u", description = "How the driver reaches the host, e.g. qemu:///system")
    String uri;

    @Option(name = "--address", description = "Underlay address of the host on its site network (tunnel endpoint)")
    String address;

    @Option(name = "--executor", description = "How commands run on the host: local, netns:NAME, ssh://user@host[:port]")
    String executor;

    @Override
    protected void run() {
        print(hostService.create(user(), new Requests.HostCreate(name, site, driver, uri, address, executor)));
    }
}
