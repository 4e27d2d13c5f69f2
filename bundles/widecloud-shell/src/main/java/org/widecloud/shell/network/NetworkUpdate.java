package org.widecloud.shell.network;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.NetworkCompleter;
import org.widecloud.shell.support.OneArgumentAction;
import org.widecloud.shell.support.KeyValues;

@Service
@Command(scope = "cloud", name = "network-update", description = "Changes a network; options not given stay as they are")
public class NetworkUpdate extends OneArgumentAction {

    @Reference
    NetworkService networkService;

    @Argument(index = 0, name = "network", description = "Name or id of the network", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Option(name = "--name", description = "New name")
    String name;

    @Option(name = "--bridge", description = "New host bridge")
    String bridge;

    @Option(name = "--param", aliases = "-p", description = "Mobility backend parameter key=value (repeatable; "
            + "replaces all parameters)", multiValued = true)
    List<String> params;

    @Option(name = "--version", description = "Refuse the change unless the network is still at this version")
    Long version;

    @Override
    protected void run() {
        NetworkView.print(networkService.update(user(), network, new Requests.NetworkUpdate(name, bridge,
                KeyValues.parse("param", params), version)), out());
    }
}
