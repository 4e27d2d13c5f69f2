package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.ImageService;

@Service
public class ImageCompleter extends RefCompleter {

    @Reference
    ImageService imageService;

    public ImageCompleter() {
    }

    public ImageCompleter(ImageService imageService) {
        this.imageService = imageService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, imageService.list(firstPage()).items());
        return values;
    }
}
