package org.widecloud.shell.volume;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.VmCompleter;
import org.widecloud.shell.completers.VolumeCompleter;

@Service
@Command(scope = "cloud", name = "volume-attach",
        description = "Attaches a volume to a VM as its next disk (the VM stopped or defined)")
public class VolumeAttach extends VolumeAction {

    @Argument(index = 0, name = "volume", description = "Name or id of the volume", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Option(name = "--vm", description = "VM (name or id)", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Override
    protected void run() {
        print(volumeService.attach(user(), volume, new Requests.VolumeAttach(vm)));
    }
}
