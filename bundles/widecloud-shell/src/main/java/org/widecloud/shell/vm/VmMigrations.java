package org.widecloud.shell.vm;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.VmService;
import org.widecloud.shell.completers.VmCompleter;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "vm-migrations", description = "Lists a VM's migrations, newest first: step, "
        + "libvirt's downtime, bytes sent, time, the service gap an observer measured (lab)")
public class VmMigrations extends ListAction<Migration> {

    @Reference
    VmService vmService;

    @Reference
    HostService hostService;

    @Argument(index = 0, name = "vm", description = "Name or id of the VM", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Override
    protected Page<Migration> fetch(PageRequest page) {
        return vmService.migrations(vm, page);
    }

    @Override
    protected List<String> columns() {
        return List.of("Started", "From", "To", "Step", "Downtime ms", "Bytes", "Total ms", "Gap ms", "Error");
    }

    @Override
    protected List<Object> row(Migration m) {
        return Arrays.asList(m.created(), hostName(m.sourceHost()), hostName(m.targetHost()), m.step(),
                orDash(m.downtimeMs()), orDash(m.bytesTransferred()), orDash(m.totalMs()), orDash(m.gapMs()),
                m.error() == null ? "" : m.error());
    }

    private String hostName(String id) {
        try {
            Host h = hostService.get(id);
            return h.name();
        } catch (CloudException e) {
            return id;
        }
    }

    private static Object orDash(Long v) {
        return v == null ? "-" : v;
    }

    @Override
    protected String emptyText() {
        return "No migrations";
    }
}
