package org.widecloud.shell.volume;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.VolumeService;
import org.widecloud.shell.completers.VolumeCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "volume-delete", description = "Deletes a disk volume (refused while it is attached)")
public class VolumeDelete extends OneArgumentAction {

    @Reference
    VolumeService volumeService;

    @Argument(index = 0, name = "volume", description = "Name or id of the volume", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Override
    protected void run() {
        volumeService.delete(user(), volume);
        out().println("Volume " + volume + " deleted");
    }
}
