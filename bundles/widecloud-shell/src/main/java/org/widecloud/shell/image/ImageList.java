package org.widecloud.shell.image;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.ImageService;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "image-list", description = "Lists images")
public class ImageList extends ListAction<Image> {

    @Reference
    ImageService imageService;

    @Override
    protected Page<Image> fetch(PageRequest page) {
        return imageService.list(page);
    }

    @Override
    protected List<String> columns() {
        return ImageView.COLUMNS;
    }

    @Override
    protected List<Object> row(Image item) {
        return ImageView.row(item);
    }

    @Override
    protected String emptyText() {
        return "No images";
    }
}
