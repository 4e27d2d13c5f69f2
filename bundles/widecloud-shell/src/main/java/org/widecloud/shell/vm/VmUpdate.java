package org.widecloud.shell.vm;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.VmCompleter;

@Service
@Command(scope = "cloud", name = "vm-update",
        description = "Changes a VM; vCPUs and memory only while it is not running; options not given stay as they are")
public class VmUpdate extends VmInfoAction {

    @Argument(index = 0, name = "vm", description = "Name or id of the VM", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Option(name = "--name", description = "New name")
    String name;

    @Option(name = "--vcpus", aliases = "-c", description = "New number of virtual CPUs")
    Integer vcpus;

    @Option(name = "--memory", aliases = "-m", description = "New memory in MiB")
    Long memory;

    @Option(name = "--version", description = "Refuse the change unless the VM is still at this version")
    Long version;

    @Override
    protected void run() {
        print(vmService.update(user(), vm, new Requests.VmUpdate(name, vcpus, memory, version)));
    }
}
