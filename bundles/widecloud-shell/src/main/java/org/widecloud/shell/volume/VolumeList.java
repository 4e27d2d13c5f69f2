package org.widecloud.shell.volume;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.VmService;
import org.widecloud.api.service.VolumeService;
import org.widecloud.shell.completers.PoolCompleter;
import org.widecloud.shell.completers.VmCompleter;
import org.widecloud.shell.support.ListAction;

@Service
@Command(scope = "cloud", name = "volume-list", description = "Lists disk volumes")
public class VolumeList extends ListAction<Volume> {

    @Reference
    VolumeService volumeService;

    @Reference
    PoolService poolService;

    @Reference
    HostService hostService;

    @Reference
    ImageService imageService;

    @Reference
    VmService vmService;

    @Option(name = "--pool", aliases = "-p", description = "Only volumes of this pool (name or id)")
    @Completion(PoolCompleter.class)
    String pool;

    @Option(name = "--vm", description = "Only volumes attached to this VM (name or id)")
    @Completion(VmCompleter.class)
    String vm;

    private VolumeView view;

    @Override
    protected Page<Volume> fetch(PageRequest page) {
        view = new VolumeView(poolService, hostService, imageService, vmService);
        return volumeService.list(page, pool, vm);
    }

    @Override
    protected List<String> columns() {
        return VolumeView.COLUMNS;
    }

    @Override
    protected List<Object> row(Volume item) {
        return view.row(item);
    }

    @Override
    protected String emptyText() {
        return "No volumes";
    }
}
