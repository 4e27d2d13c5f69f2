package org.widecloud.shell.vm;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Job;
import org.widecloud.shell.completers.VmCompleter;

@Service
@Command(scope = "cloud", name = "vm-reboot", description = "Reboots a VM")
public class VmReboot extends VmJobAction {

    @Argument(index = 0, name = "vm", description = "Name or id of the VM", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Override
    protected Job submit() {
        return vmService.reboot(user(), vm);
    }
}
