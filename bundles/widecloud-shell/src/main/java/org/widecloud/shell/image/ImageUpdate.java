package org.widecloud.shell.image;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.ImageCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "image-update", description = "Changes an image; options not given stay as they are")
public class ImageUpdate extends OneArgumentAction {

    @Reference
    ImageService imageService;

    @Argument(index = 0, name = "image", description = "Name or id of the image", required = true)
    @Completion(ImageCompleter.class)
    String image;

    @Option(name = "--name", description = "New name")
    String name;

    @Option(name = "--cmdline", description = "New kernel command line (direct-boot images)")
    String cmdline;

    @Option(name = "--version", description = "Refuse the change unless the image is still at this version")
    Long version;

    @Override
    protected void run() {
        ImageView.print(imageService.update(user(), image, new Requests.ImageUpdate(name, cmdline, version)), out());
    }
}
