package org.widecloud.shell.volume;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.HostCompleter;
import org.widecloud.shell.completers.ImageCompleter;
import org.widecloud.shell.completers.PoolCompleter;

@Service
@Command(scope = "cloud", name = "volume-create", description = "Creates a disk volume in a pool: blank (--size) or "
        + "from an image (--image; copy-on-write where the backend can)")
public class VolumeCreate extends VolumeAction {

    @Argument(index = 0, name = "name", description = "Name of the new volume", required = true)
    String name;

    @Option(name = "--pool", aliases = "-p", description = "Pool (name or id)", required = true)
    @Completion(PoolCompleter.class)
    String pool;

    @Option(name = "--size", description = "Size: bytes or e.g. 512M, 10G (with --image: grows it; default the "
            + "image's size)")
    String size;

    @Option(name = "--image", description = "Image to start from (name or id)")
    @Completion(ImageCompleter.class)
    String image;

    @Option(name = "--format", description = "qcow2 (default where the backend can) or raw")
    String format;

    @Option(name = "--host", description = "Host that holds it, for host-local pools (name or id)")
    @Completion(HostCompleter.class)
    String host;

    @Override
    protected void run() {
        print(volumeService.create(user(), new Requests.VolumeCreate(name, pool, host, Sizes.parse("size", size),
                format, image)));
    }
}
