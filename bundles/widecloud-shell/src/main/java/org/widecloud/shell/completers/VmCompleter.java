package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.VmService;

@Service
public class VmCompleter extends RefCompleter {

    @Reference
    VmService vmService;

    public VmCompleter() {
    }

    public VmCompleter(VmService vmService) {
        this.vmService = vmService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, vmService.list(firstPage(), null, null).items());
        return values;
    }
}
