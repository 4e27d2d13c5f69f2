package org.widecloud.shell.pool;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Pool;
import org.widecloud.shell.support.Details;
import org.widecloud.shell.support.KeyValues;
import org.widecloud.shell.support.RefNames;

/** Pools as rows and details; their secret parameters come masked from the service. */
final class PoolView {
    static final List<String> COLUMNS = List.of("ID", "Name", "Site", "Backend", "State", "Capacity bytes",
            "Used bytes");

    private PoolView() {
    }

    static List<Object> row(Pool p, RefNames sites) {
        return Arrays.asList(p.id(), p.name(), site(p, sites), p.backend(), p.state(), p.capacityBytes(),
                p.usedBytes());
    }

    static void print(Pool p, RefNames sites, PrintStream out) {
        new Details().add("ID", p.id()).add("Name", p.name()).add("Site", site(p, sites))
                .add("Backend", p.backend()).add("Parameters", KeyValues.format(p.parameters()))
                .add("State", p.state()).add("State reason", p.stateReason())
                .add("Capacity bytes", p.capacityBytes()).add("Used bytes", p.usedBytes())
                .add("Created", p.created()).add("Version", p.version()).print(out);
    }

    /** A wide-area pool belongs to no site: every site's hosts reach it. */
    private static String site(Pool p, RefNames sites) {
        return p.wideArea() ? "(wide-area)" : sites.name(p.site());
    }
}
