package org.widecloud.shell.vm;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.HostCompleter;
import org.widecloud.shell.completers.ImageCompleter;
import org.widecloud.shell.completers.NetworkCompleter;
import org.widecloud.shell.completers.PoolCompleter;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.completers.VolumeCompleter;

@Service
@Command(scope = "cloud", name = "vm-create", description = "Creates a VM on a host (given, or chosen in a site or anywhere)")
public class VmCreate extends VmJobAction {

    @Argument(index = 0, name = "name", description = "Name of the new VM", required = true)
    String name;

    @Option(name = "--vcpus", aliases = "-c", description = "Number of virtual CPUs")
    Integer vcpus;

    @Option(name = "--memory", aliases = "-m", description = "Memory in MiB")
    Long memory;

    @Option(name = "--image", aliases = "-i", description = "Image (name or id) it boots")
    @Completion(ImageCompleter.class)
    String image;

    @Option(name = "--nic", aliases = "-n", multiValued = true,
            description = "NETWORK[,ipv4=ADDR][,ipv6=ADDR][,mac=MAC] (repeatable, one per NIC)")
    @Completion(NetworkCompleter.class)
    List<String> nics;

    @Option(name = "--host", description = "Host (name or id) to create it on")
    @Completion(HostCompleter.class)
    String host;

    @Option(name = "--site", aliases = "-s", description = "Site (name or id) to place it in")
    @Completion(SiteCompleter.class)
    String site;

    @Option(name = "--pool", aliases = "-p", description = "Pool (name or id) where the image becomes the VM's own "
            + "root volume (copy-on-write where the backend can); without it the image file is used as it is")
    @Completion(PoolCompleter.class)
    String pool;

    @Option(name = "--disk-gib", description = "Size of the root volume in GiB (grows the image's; needs --pool)")
    Integer diskGiB;

    @Option(name = "--volume", aliases = "-v", multiValued = true,
            description = "Existing volume (name or id) attached as a further disk (repeatable, in order)")
    @Completion(VolumeCompleter.class)
    List<String> volumes;

    @Option(name = "--start", description = "Start the VM once it is defined")
    boolean start;

    @Override
    protected Job submit() {
        return vmService.create(user(), new Requests.VmCreate(name, host, site, vcpus, memory, image,
                NicOption.parseAll(nics), start, pool, diskGiB, volumes));
    }
}
