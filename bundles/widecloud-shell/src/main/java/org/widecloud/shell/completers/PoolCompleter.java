package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.PoolService;

@Service
public class PoolCompleter extends RefCompleter {

    @Reference
    PoolService poolService;

    public PoolCompleter() {
    }

    public PoolCompleter(PoolService poolService) {
        this.poolService = poolService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, poolService.list(firstPage(), null).items());
        return values;
    }
}
