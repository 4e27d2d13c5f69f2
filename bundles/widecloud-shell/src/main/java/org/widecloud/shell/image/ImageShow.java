package org.widecloud.shell.image;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.ImageService;
import org.widecloud.shell.completers.ImageCompleter;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "image-show", description = "Shows an image")
public class ImageShow extends OneArgumentAction {

    @Reference
    ImageService imageService;

    @Argument(index = 0, name = "image", description = "Name or id of the image", required = true)
    @Completion(ImageCompleter.class)
    String image;

    @Override
    protected void run() {
        ImageView.print(imageService.get(image), out());
    }
}
