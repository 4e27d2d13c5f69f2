package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.NetworkService;

@Service
public class NetworkCompleter extends RefCompleter {

    @Reference
    NetworkService networkService;

    public NetworkCompleter() {
    }

    public NetworkCompleter(NetworkService networkService) {
        this.networkService = networkService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, networkService.list(firstPage()).items());
        return values;
    }
}
