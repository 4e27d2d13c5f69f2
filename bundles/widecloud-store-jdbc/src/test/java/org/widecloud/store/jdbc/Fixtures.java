package org.widecloud.store.jdbc;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Image;
import org.widecloud.api.model.ImageKind;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Pool;
import org.widecloud.api.model.PoolState;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.SiteState;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.model.Volume;
import org.widecloud.api.model.VolumeState;

/** Records for the tests; instants are cut to microseconds, the precision both databases keep. */
final class Fixtures {
    private Fixtures() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static Site site(String name) {
        return new Site(id(), name, "site " + name, SiteState.ACTIVE, now(), 0);
    }

    static Host host(String name, Site site) {
        return new Host(id(), name, site.id(), "kvm", "test:///default", HostState.UP, 4, 8192, "9.0.0", null,
                now(), 0);
    }

    static Network network(String name, String ipv4Prefix, String ipv6Prefix) {
        return new Network(id(), name, ipv4Prefix, ipv6Prefix, "bridge", "br0", Map.of("mtu", "1500"), now(), 0);
    }

    static Image diskImage(String name) {
        return new Image(id(), name, ImageKind.DISK, "/var/lib/widecloud/" + name + ".qcow2", "qcow2", null, null,
                null, now(), 0);
    }

    static Image kernelImage(String name) {
        return new Image(id(), name, ImageKind.KERNEL, null, null, "/boot/vmlinuz", "/boot/initrd.img",
                "console=ttyS0", now(), 0);
    }

    static Vm vm(String name, Host host, Image image, List<Nic> nics) {
        return new Vm(id(), name, "alice", host.id(), 1, 128, image.id(), nics, VmState.DEFINED, null, now(), now(),
                0);
    }

    static Nic nic(Network n, String ipv4, String ipv6, String mac) {
        return new Nic(n.id(), ipv4, ipv6, mac);
    }

    static Job job(String type, String target, JobState state, Instant created) {
        return new Job(id(), type, "vm", target, state, 0, "queued", null, "alice", created, created, 0);
    }

    /** As {@link Job#with} but with a microsecond instant, so the record equals what the store reads back. */
    static Job progress(Job j, JobState s, int p, String step, String error) {
        return new Job(j.id(), j.type(), j.targetType(), j.target(), s, p, step, error, j.user(), j.created(), now(),
                j.version());
    }

    static Vm inState(Vm v, VmState s) {
        return new Vm(v.id(), v.name(), v.owner(), v.host(), v.vcpus(), v.memoryMiB(), v.image(), v.nics(), s, null,
                v.created(), now(), v.version());
    }

    static Pool pool(String name, Site site, String backend, Map<String, String> parameters) {
        return new Pool(id(), name, site == null ? null : site.id(), backend, parameters, 100L << 30, 0,
                PoolState.ACTIVE, null, now(), 0);
    }

    static Volume volume(String name, Pool pool, Host host, Image image, Vm vm) {
        return new Volume(id(), name, pool.id(), host == null ? null : host.id(), 1L << 30, "qcow2",
                image == null ? null : image.id(), vm == null ? null : vm.id(), "/pools/" + name,
                vm == null ? VolumeState.AVAILABLE : VolumeState.IN_USE, now(), 0);
    }
}
