package org.widecloud.shell.network;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.shell.completers.NetworkCompleter;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "network-bindings", description = "Shows where a network's mobility backend "
        + "delivers it now: for NEMO each prefix, its care-of address, since when and until when (the home agent's "
        + "binding cache); for VLAN and VXLAN the hosts that carry it")
public class NetworkBindings extends ListAction<MobilityBinding> {

    @Reference
    NetworkService networkService;

    @Reference
    HostService hostService;

    @Argument(index = 0, name = "network", description = "Name or id of the network", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Override
    protected Page<MobilityBinding> fetch(PageRequest page) {
        List<MobilityBinding> all = networkService.bindings(network);
        int from = Math.min(page.offset(), all.size());
        int to = Math.min(all.size(), from + page.limit());
        return new Page<>(all.subList(from, to), all.size(), page.offset(), page.limit());
    }

    @Override
    protected List<String> columns() {
        return List.of("Bound", "At", "Host", "Since", "Expires", "Details");
    }

    @Override
    protected List<Object> row(MobilityBinding b) {
        return Arrays.asList(b.key(), b.location(), hostName(b.host()), orDash(b.since()), orDash(b.expires()),
                details(b.details()));
    }

    private String hostName(String id) {
        if (id == null) {
            return "-";
        }
        try {
            Host h = hostService.get(id);
            return h.name();
        } catch (CloudException e) {
            return id;
        }
    }

    private static Object orDash(Object v) {
        return v == null ? "-" : v;
    }

    private static String details(Map<String, String> details) {
        return details.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    @Override
    protected String emptyText() {
        return "No bindings";
    }
}
