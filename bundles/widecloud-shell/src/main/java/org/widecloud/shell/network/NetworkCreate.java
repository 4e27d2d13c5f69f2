package org.widecloud.shell.network;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.OneArgumentAction;
import org.widecloud.shell.support.KeyValues;

@Service
@Command(scope = "cloud", name = "network-create", description = "Creates a network")
public class NetworkCreate extends OneArgumentAction {

    @Reference
    NetworkService networkService;

    @Argument(index = 0, name = "name", description = "Name of the new network", required = true)
    String name;

    @Option(name = "--ipv4", aliases = "--ipv4-prefix", description = "IPv4 prefix in CIDR form, e.g. 10.0.0.0/24")
    String ipv4;

    @Option(name = "--ipv6", aliases = "--ipv6-prefix", description = "IPv6 prefix in CIDR form, e.g. 2001:db8::/64")
    String ipv6;

    @Option(name = "--mobility", description = "Mobility backend that carries it between sites (default: plain bridge)")
    String mobility;

    @Option(name = "--bridge", description = "Host bridge its NICs attach to")
    String bridge;

    @Option(name = "--param", aliases = "-p", description = "Mobility backend parameter key=value (repeatable)",
            multiValued = true)
    List<String> params;

    @Override
    protected void run() {
        NetworkView.print(networkService.create(user(), new Requests.NetworkCreate(name, ipv4, ipv6, mobility, bridge,
                KeyValues.parse("param", params))), out());
    }
}
