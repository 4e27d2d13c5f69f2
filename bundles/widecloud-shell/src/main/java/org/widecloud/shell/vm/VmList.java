package org.widecloud.shell.vm;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.VmService;
import org.widecloud.shell.completers.HostCompleter;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "vm-list", description = "Lists VMs")
public class VmList extends ListAction<Vm> {

    @Reference
    VmService vmService;

    @Reference
    HostService hostService;

    @Reference
    ImageService imageService;

    @Reference
    NetworkService networkService;

    @Option(name = "--host", description = "Only VMs on this host (name or id)")
    @Completion(HostCompleter.class)
    String host;

    @Option(name = "--state", description = "Only VMs in this state")
    @Completion(value = StringsCompleter.class, values = {"CREATING", "DEFINED", "RUNNING", "PAUSED", "STOPPED",
        "MIGRATING", "DELETING", "ERROR", "UNKNOWN"})
    String state;

    private VmView.Names names;

    @Override
    protected Page<Vm> fetch(PageRequest page) {
        names = VmRefs.names(hostService, imageService, networkService);
        return vmService.list(page, host, state);
    }

    @Override
    protected List<String> columns() {
        return VmView.COLUMNS;
    }

    @Override
    protected List<Object> row(Vm item) {
        return VmView.row(item, names);
    }

    @Override
    protected String emptyText() {
        return "No VMs";
    }
}
