package org.widecloud.core;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.api.store.CloudStore;

/** The spec a driver defines for a VM, from the VM and what it references; and redefinition with a rollback. */
final class VmSpecs {
    private static final Logger LOG = LoggerFactory.getLogger(VmSpecs.class);

    private final CloudStore store;
    private final Volumes volumes;

    VmSpecs(CloudStore store, Volumes volumes) {
        this.store = store;
        this.volumes = volumes;
    }

    /**
     * Disks: the VM's volumes as their backends attach them on the VM's host, root first. A disk-image VM
     * without a root volume (made without a pool) uses the image file itself, read-only, as the first slice did.
     */
    VmSpec spec(Vm vm) {
        Image image = store.image(vm.image()).orElseThrow(() -> new ConflictException("image",
                "image " + vm.image() + " of vm '" + vm.name() + "' is gone"));
        List<Volume> attached = volumes.ofVm(vm.id());
        VmSpec.Boot boot;
        List<VmSpec.Disk> disks = new ArrayList<>();
        if (image.kind() == ImageKind.KERNEL) {
            boot = new VmSpec.Boot(image.kernel(), image.initrd(), image.cmdline());
        } else {
            boot = VmSpec.Boot.disk();
            if (attached.isEmpty() || !attached.get(0).id().equals(vm.id())) {
                disks.add(VmSpec.Disk.file(image.path(), image.format(), true));
            }
        }
        if (!attached.isEmpty()) {
            Host host = store.host(vm.host()).orElseThrow();
            for (Volume v : attached) {
                disks.add(volumes.disk(v, host));
            }
        }
        List<VmSpec.NicSpec> nicSpecs = new ArrayList<>();
        for (Nic n : vm.nics()) {
            Network net = store.network(n.network()).orElseThrow();
            nicSpecs.add(new VmSpec.NicSpec(n.mac(), net.bridge(), "virtio"));
        }
        return new VmSpec(vm.id(), vm.name(), vm.vcpus(), vm.memoryMiB(), boot, disks, nicSpecs);
    }

    /** Replaces the domain's definition; on failure the old one is put back. */
    static void redefine(HypervisorDriver d, HostEndpoint ep, VmSpec from, VmSpec to) {
        try {
            if (d.state(ep, from.id()) != DomainState.MISSING) {
                d.undefine(ep, from.id());
            }
            d.define(ep, to);
        } catch (DriverException e) {
            try {
                if (d.state(ep, from.id()) == DomainState.MISSING) {
                    d.define(ep, from);
                }
            } catch (DriverException again) {
                LOG.error("vm {}: cannot restore its definition on {}", from.name(), ep.hostName(), again);
            }
            throw new BackendException("redefining vm '" + from.name() + "' failed: " + e.getMessage(), e);
        }
    }
}
