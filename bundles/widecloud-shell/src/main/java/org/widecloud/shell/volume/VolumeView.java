package org.widecloud.shell.volume;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Volume;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.ImageService;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.VmService;
import org.widecloud.shell.support.Details;
import org.widecloud.shell.support.RefNames;

/** Volumes as rows and details, with the pool, host, image and VM they refer to shown by name. */
final class VolumeView {
    static final List<String> COLUMNS = List.of("ID", "Name", "Pool", "Host", "Size bytes", "Format", "Image", "VM",
            "State");

    private final RefNames pools;
    private final RefNames hosts;
    private final RefNames images;
    private final RefNames vms;

    VolumeView(PoolService pools, HostService hosts, ImageService images, VmService vms) {
        this.pools = new RefNames(id -> pools.get(id).name());
        this.hosts = new RefNames(id -> hosts.get(id).name());
        this.images = new RefNames(id -> images.get(id).name());
        this.vms = new RefNames(id -> vms.get(id).name());
    }

    List<Object> row(Volume v) {
        return Arrays.asList(v.id(), v.name(), pools.name(v.pool()), hosts.name(v.host()), v.sizeBytes(), v.format(),
                images.name(v.image()), vms.name(v.vm()), v.state());
    }

    void print(Volume v, PrintStream out) {
        new Details().add("ID", v.id()).add("Name", v.name()).add("Pool", pools.name(v.pool()))
                .add("Host", hosts.name(v.host())).add("Size bytes", v.sizeBytes()).add("Format", v.format())
                .add("Image", images.name(v.image())).add("VM", vms.name(v.vm())).add("Key", v.key())
                .add("State", v.state()).add("Created", v.created()).add("Version", v.version()).print(out);
    }
}
