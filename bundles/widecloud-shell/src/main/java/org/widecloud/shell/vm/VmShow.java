package org.widecloud.shell.vm;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.VmCompleter;

@Service
@Command(scope = "cloud", name = "vm-show", description = "Shows a VM and its state")
public class VmShow extends VmInfoAction {

    @Argument(index = 0, name = "vm", description = "Name or id of the VM", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Override
    protected void run() {
        print(vmService.get(vm));
    }
}
