package org.widecloud.shell.completers;

import java.util.Collection;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.service.VolumeService;

@Service
public class VolumeCompleter extends RefCompleter {

    @Reference
    VolumeService volumeService;

    public VolumeCompleter() {
    }

    public VolumeCompleter(VolumeService volumeService) {
        this.volumeService = volumeService;
    }

    @Override
    protected Collection<String> values() {
        Collection<String> values = new TreeSet<>();
        addNamesAndIds(values, volumeService.list(firstPage(), null, null).items());
        return values;
    }
}
