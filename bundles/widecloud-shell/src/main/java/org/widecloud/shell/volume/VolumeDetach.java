package org.widecloud.shell.volume;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.shell.completers.VolumeCompleter;

@Service
@Command(scope = "cloud", name = "volume-detach",
        description = "Detaches a volume from its VM (the VM stopped or defined)")
public class VolumeDetach extends VolumeAction {

    @Argument(index = 0, name = "volume", description = "Name or id of the volume", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Override
    protected void run() {
        print(volumeService.detach(user(), volume));
    }
}
