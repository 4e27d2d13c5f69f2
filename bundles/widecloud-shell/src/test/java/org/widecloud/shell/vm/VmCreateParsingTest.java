package org.widecloud.shell.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.impl.action.command.DefaultActionPreparator;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.widecloud.shell.support.ShellRun;
import org.widecloud.shell.support.TrailingOptions;

/** A vm-create command line parsed by Karaf's own option parser into the command's fields. */
class VmCreateParsingTest {

    @Test
    void optionsMirrorTheCreateRequest() throws Exception {
        VmCreate c = new VmCreate();
        boolean run = new DefaultActionPreparator().prepare(c, ShellRun.session(0, Map.of()),
                List.of("--vcpus", "2", "--memory", "128", "--image", "tiny", "--nic",
                        "lan,ipv4=10.9.0.10,ipv6=2001:db8:9::10", "--nic", "dmz", "--host", "h1", "--site", "lyon",
                        "--start", "--async", "web1"));

        assertTrue(run);
        assertEquals("web1", c.name);
        assertEquals(2, c.vcpus);
        assertEquals(128L, c.memory);
        assertEquals("tiny", c.image);
        assertEquals(List.of("lan,ipv4=10.9.0.10,ipv6=2001:db8:9::10", "dmz"), c.nics);
        assertEquals("h1", c.host);
        assertEquals("lyon", c.site);
        assertTrue(c.start); // and --async was accepted: an unknown option fails prepare()
    }

    /**
     * Karaf's parser stops reading options at the first argument; the command collects what follows the name
     * and applies it before running, so the order of the brief ({@code vm-create NAME --vcpus 1 ...}) works.
     */
    @Test
    void optionsMayFollowTheName() throws Exception {
        VmCreate c = new VmCreate();
        assertTrue(new DefaultActionPreparator().prepare(c, ShellRun.session(0, Map.of()),
                List.of("--memory", "64", "web1", "--vcpus", "2", "--nic", "lan,ipv4=10.9.0.10", "--nic=dmz",
                        "--start", "-i", "tiny", "--host=h1")));
        TrailingOptions.apply(c);

        assertEquals("web1", c.name);
        assertEquals(2, c.vcpus);
        assertEquals(64L, c.memory);
        assertEquals("tiny", c.image);
        assertEquals(List.of("lan,ipv4=10.9.0.10", "dmz"), c.nics);
        assertEquals("h1", c.host);
        assertTrue(c.start);
    }

    @Test
    void trailingMistakesAreOneLineErrors() throws Exception {
        assertEquals("Error: undefined option --cpus", trailingError("web1", "--cpus", "2"));
        assertEquals("Error: missing value for option --vcpus", trailingError("web1", "--vcpus"));
        assertEquals("Error: option --vcpus: 'two' is not a whole number", trailingError("web1", "--vcpus", "two"));
        assertEquals("Error: too many arguments: 'web2' (options start with --)", trailingError("web1", "web2"));
    }

    private static String trailingError(String... line) throws Exception {
        VmCreate c = new VmCreate();
        new DefaultActionPreparator().prepare(c, ShellRun.session(0, Map.of()), List.of((Object[]) line));
        return assertThrows(CommandException.class, () -> TrailingOptions.apply(c)).getNiceHelp();
    }

    @Test
    void unsetNumbersStayNullSoThatCoreNamesTheMissingField() throws Exception {
        VmCreate c = new VmCreate();
        new DefaultActionPreparator().prepare(c, ShellRun.session(0, Map.of()), List.of("web1"));
        assertEquals(null, c.vcpus);
        assertEquals(null, c.memory);
        assertFalse(c.start);
    }

    @Test
    void storageOptions() throws Exception {
        VmCreate c = new VmCreate();
        assertTrue(new DefaultActionPreparator().prepare(c, ShellRun.session(0, Map.of()),
                List.of("web1", "--pool", "fast", "--disk-gib", "10", "--volume", "data", "-v", "logs")));
        TrailingOptions.apply(c);
        assertEquals("fast", c.pool);
        assertEquals(10, c.diskGiB);
        assertEquals(List.of("data", "logs"), c.volumes);
    }
}
