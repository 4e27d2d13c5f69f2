package org.widecloud.shell.volume;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.VolumeCompleter;

@Service
@Command(scope = "cloud", name = "volume-resize", description = "Grows a disk volume (never shrinks)")
public class VolumeResize extends VolumeAction {

    @Argument(index = 0, name = "volume", description = "Name or id of the volume", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Option(name = "--size", description = "New size: bytes or e.g. 20G", required = true)
    String size;

    @Option(name = "--version", description = "Refuse the change unless the volume is still at this version")
    Long version;

    @Override
    protected void run() {
        print(volumeService.resize(user(), volume, new Requests.VolumeResize(Sizes.parse("size", size), version)));
    }
}
