package org.widecloud.shell.host;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Host;
import org.widecloud.shell.support.Details;
import org.widecloud.shell.support.RefNames;

final class HostView {
    static final List<String> COLUMNS = List.of("ID", "Name", "Site", "Driver", "URI", "State", "CPUs", "Memory MiB");

    private HostView() {
    }

    static List<Object> row(Host h, RefNames sites) {
        return Arrays.asList(h.id(), h.name(), sites.name(h.site()), h.driver(), h.uri(), h.state(), h.cpus(),
                h.memoryMiB());
    }

    static void print(Host h, RefNames sites, PrintStream out) {
        new Details().add("ID", h.id()).add("Name", h.name()).add("Site", sites.name(h.site()))
                .add("Driver", h.driver()).add("URI", h.uri()).add("Address", h.address())
                .add("Executor", h.executor()).add("State", h.state())
                .add("State reason", h.stateReason()).add("CPUs", h.cpus()).add("Memory MiB", h.memoryMiB())
                .add("Hypervisor", h.hypervisorVersion()).add("Created", h.created()).add("Version", h.version())
                .print(out);
    }
}
