package org.widecloud.shell.site;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Site;
import org.widecloud.shell.support.Details;

final class SiteView {
    static final List<String> COLUMNS = List.of("ID", "Name", "State", "Description");

    private SiteView() {
    }

    static List<Object> row(Site s) {
        return Arrays.asList(s.id(), s.name(), s.state(), s.description());
    }

    static void print(Site s, PrintStream out) {
        new Details().add("ID", s.id()).add("Name", s.name()).add("State", s.state())
                .add("Description", s.description()).add("Created", s.created()).add("Version", s.version())
                .print(out);
    }
}
