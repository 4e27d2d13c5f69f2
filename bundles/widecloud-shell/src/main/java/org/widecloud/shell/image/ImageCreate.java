package org.widecloud.shell.image;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "image-create",
        description = "Registers an image: a disk image (--path) or a kernel + initrd pair for direct boot")
public class ImageCreate extends OneArgumentAction {

    @Reference
    ImageService imageService;

    @Argument(index = 0, name = "name", description = "Name of the new image", required = true)
    String name;

    @Option(name = "--path", description = "Disk image file")
    @Completion(FileCompleter.class)
    String path;

    @Option(name = "--format", description = "Disk image format, e.g. qcow2 or raw")
    String format;

    @Option(name = "--kernel", description = "Kernel file for direct boot")
    @Completion(FileCompleter.class)
    String kernel;

    @Option(name = "--initrd", description = "Initrd file for direct boot")
    @Completion(FileCompleter.class)
    String initrd;

    @Option(name = "--cmdline", description = "Kernel command line for direct boot")
    String cmdline;

    @Override
    protected void run() {
        ImageView.print(imageService.create(user(),
                new Requests.ImageCreate(name, path, format, kernel, initrd, cmdline)), out());
    }
}
