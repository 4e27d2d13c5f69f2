package org.widecloud.shell.support;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.widecloud.api.store.CloudStore;
import org.widecloud.core.CoreFixture;
import org.widecloud.store.jdbc.ShellTestStores;

/** Commands against the real core services on the real JDBC store (in-memory H2), wired by hand. */
public abstract class CoreTest {
    protected CloudStore store;
    protected CoreFixture core;

    @BeforeEach
    void openCore() {
        store = ShellTestStores.h2();
        core = new CoreFixture(store);
    }

    @AfterEach
    void closeCore() {
        core.close();
        ShellTestStores.close(store);
    }

    /** Runs a command as user {@code user} in a headless session (no terminal, as Pax Exam and scripts run it). */
    protected static ShellRun.Result run(CloudAction action, String user) throws Exception {
        action.setSession(ShellRun.session(0, Map.of("USER", user)));
        return ShellRun.run(action);
    }

    protected static ShellRun.Result run(CloudAction action) throws Exception {
        return run(action, "alice");
    }

    /** The value of line {@code key} of a "Key : value" listing (show commands); null if there is none. */
    public static String detail(String output, String key) {
        return output.lines().filter(l -> l.matches(Pattern.quote(key) + " *: .*"))
                .map(l -> l.substring(l.indexOf(" : ") + 3)).findFirst().orElse(null);
    }

    /**
     * The rows of a --no-format table: one per line, cells separated by tabs (Karaf's no-format separator) and
     * padded to the column's width, which is trimmed here.
     */
    protected static List<List<String>> rows(String noFormatOutput) {
        return noFormatOutput.lines().filter(l -> !l.isEmpty())
                .map(l -> Arrays.stream(l.split("\t", -1)).map(String::strip).toList()).toList();
    }
}
