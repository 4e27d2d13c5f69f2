package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.HostService;

@Service
public class HostCompleter extends RefCompleter {

    @Reference
    HostService hostService;

    public HostCompleter() {
    }

    public HostCompleter(HostService hostService) {
        this.hostService = hostService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, hostService.list(firstPage(), null).items());
        return values;
    }
}
