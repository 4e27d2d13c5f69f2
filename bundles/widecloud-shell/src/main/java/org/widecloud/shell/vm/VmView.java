package org.widecloud.shell.vm;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Vm;
import org.widecloud.shell.support.Details;
import org.widecloud.shell.support.RefNames;

final class VmView {
    static final List<String> COLUMNS = List.of("ID", "Name", "State", "Host", "vCPUs", "Memory MiB", "Image",
            "Addresses");

    private VmView() {
    }

    /** How references in a VM record are shown: by the names of its host, image and networks. */
    record Names(RefNames hosts, RefNames images, RefNames networks) {
    }

    static List<Object> row(Vm v, Names names) {
        return Arrays.asList(v.id(), v.name(), v.state(), names.hosts().name(v.host()), v.vcpus(), v.memoryMiB(),
                names.images().name(v.image()), addresses(v));
    }

    static String addresses(Vm v) {
        List<String> all = new ArrayList<>();
        for (Nic n : v.nics()) {
            if (n.ipv4() != null) {
                all.add(n.ipv4());
            }
            if (n.ipv6() != null) {
                all.add(n.ipv6());
            }
        }
        return String.join(" ", all);
    }

    static void print(Vm v, Names names, PrintStream out) {
        Details d = new Details().add("ID", v.id()).add("Name", v.name()).add("State", v.state())
                .add("State reason", v.stateReason()).add("Host", names.hosts().name(v.host()))
                .add("Owner", v.owner()).add("vCPUs", v.vcpus()).add("Memory MiB", v.memoryMiB())
                .add("Image", names.images().name(v.image()));
        for (int i = 0; i < v.nics().size(); i++) {
            d.add("NIC " + i, nic(v.nics().get(i), names.networks()));
        }
        d.add("Created", v.created()).add("Updated", v.updated()).add("Version", v.version()).print(out);
    }

    private static String nic(Nic n, RefNames networks) {
        StringBuilder s = new StringBuilder("network=").append(networks.name(n.network()));
        if (n.ipv4() != null) {
            s.append(" ipv4=").append(n.ipv4());
        }
        if (n.ipv6() != null) {
            s.append(" ipv6=").append(n.ipv6());
        }
        if (n.mac() != null) {
            s.append(" mac=").append(n.mac());
        }
        return s.toString();
    }

    /** One line after a VM job: what the VM is now. */
    static String summary(Vm v, Names names) {
        return "VM " + v.name() + " (" + v.id() + ") " + v.state()
                + (v.host() != null ? " on " + names.hosts().name(v.host()) : "");
    }
}
