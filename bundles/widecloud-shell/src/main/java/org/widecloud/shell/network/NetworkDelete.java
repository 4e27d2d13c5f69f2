package org.widecloud.shell.network;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.NetworkService;
import org.widecloud.shell.completers.NetworkCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "network-delete", description = "Deletes a network (refused while VMs use it)")
public class NetworkDelete extends OneArgumentAction {

    @Reference
    NetworkService networkService;

    @Argument(index = 0, name = "network", description = "Name or id of the network", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Override
    protected void run() {
        networkService.delete(user(), network);
        out().println("Network " + network + " deleted");
    }
}
