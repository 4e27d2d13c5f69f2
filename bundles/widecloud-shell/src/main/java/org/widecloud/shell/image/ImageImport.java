package org.widecloud.shell.image;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.OneArgumentAction;

@Service
@Command(scope = "cloud", name = "image-import", description = "Imports a disk image (P2V: a physical server's disk "
        + "imaged with MondoRescue or dd): a raw, qcow2 or vmdk file on the controller, converted to qcow2 with "
        + "qemu-img into the controller's image folder and registered")
public class ImageImport extends OneArgumentAction {

    @Reference
    ImageService imageService;

    @Argument(index = 0, name = "name", description = "Name of the new image", required = true)
    String name;

    @Option(name = "--path", description = "The file to import (absolute path on the controller)", required = true)
    @Completion(FileCompleter.class)
    String path;

    @Option(name = "--format", description = "raw, qcow2 or vmdk (detected when not given)")
    String format;

    @Override
    protected void run() {
        ImageView.print(imageService.importImage(user(), new Requests.ImageImport(name, path, format)), out());
    }
}
