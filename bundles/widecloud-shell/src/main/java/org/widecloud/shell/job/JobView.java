package org.widecloud.shell.job;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.widecloud.api.model.Job;
import org.widecloud.shell.support.Details;

final class JobView {
    static final List<String> COLUMNS = List.of("ID", "Type", "Target", "State", "Progress", "Step", "User",
            "Updated", "Error");

    private JobView() {
    }

    static List<Object> row(Job j) {
        return Arrays.asList(j.id(), j.type(), target(j), j.state(), j.progress() + "%", j.step(), j.user(),
                j.updated(), j.error());
    }

    static String target(Job j) {
        if (j.target() == null) {
            return null;
        }
        return j.targetType() != null ? j.targetType() + " " + j.target() : j.target();
    }

    static void print(Job j, PrintStream out) {
        new Details().add("ID", j.id()).add("Type", j.type()).add("Target", target(j)).add("State", j.state())
                .add("Progress", j.progress() + "%").add("Step", j.step()).add("Error", j.error())
                .add("User", j.user()).add("Created", j.created()).add("Updated", j.updated()).print(out);
    }
}
