package org.widecloud.shell.network;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.NetworkService;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "network-list", description = "Lists networks")
public class NetworkList extends ListAction<Network> {

    @Reference
    NetworkService networkService;

    @Override
    protected Page<Network> fetch(PageRequest page) {
        return networkService.list(page);
    }

    @Override
    protected List<String> columns() {
        return NetworkView.COLUMNS;
    }

    @Override
    protected List<Object> row(Network item) {
        return NetworkView.row(item);
    }

    @Override
    protected String emptyText() {
        return "No networks";
    }
}
