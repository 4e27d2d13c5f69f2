package org.widecloud.shell.completers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.Test;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.support.CoreTest;

class CompletersTest extends CoreTest {

    /** The command line "cloud:site-show <typed>" with the cursor at its end. */
    static CommandLine typed(String typed) {
        String buffer = "cloud:site-show " + typed;
        return new CommandLine() {
            public int getCursorArgumentIndex() {
                return 1;
            }

            public String getCursorArgument() {
                return typed;
            }

            public int getArgumentPosition() {
                return typed.length();
            }

            public String[] getArguments() {
                return new String[] {"cloud:site-show", typed};
            }

            public int getBufferPosition() {
                return buffer.length();
            }

            public String getBuffer() {
                return buffer;
            }
        };
    }

    static Set<String> complete(RefCompleter completer, String typed) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, typed(typed), candidates);
        Set<String> values = new TreeSet<>();
        candidates.forEach(c -> values.add(c.strip()));
        return values;
    }

    @Test
    void sitesCompleteByNameAndId() {
        String lyon = core.sites.create("alice", new Requests.SiteCreate("lyon", null)).id();
        core.sites.create("alice", new Requests.SiteCreate("nancy", null));

        assertEquals(Set.of("lyon"), complete(new SiteCompleter(core.sites), "ly"));
        assertEquals(Set.of(lyon), complete(new SiteCompleter(core.sites), lyon.substring(0, 8)));
    }

    @Test
    void networksAndImagesComplete() throws Exception {
        core.networks.create("alice", new Requests.NetworkCreate("lan", "10.0.0.0/24", null, null, null, null));
        core.images.create("alice", new Requests.ImageCreate("tiny", diskFile("tiny.qcow2", "qcow2", 1 << 20), "qcow2",
                null, null, null));

        assertEquals(Set.of("lan"), complete(new NetworkCompleter(core.networks), "la"));
        assertEquals(Set.of("tiny"), complete(new ImageCompleter(core.images), "t"));
        assertEquals(Set.of(), complete(new VmCompleter(core.vms), "x"));
    }

    @Test
    void poolsAndVolumesComplete() {
        installStorage();
        core.pools.create("alice", new Requests.PoolCreate("fast", "lyon", "local", Map.of("path",
                files.resolve("fast").toString())));
        core.volumes.create("alice", new Requests.VolumeCreate("data", "fast", "h1", 1L << 20, null, null));

        assertEquals(Set.of("fast"), complete(new PoolCompleter(core.pools), "fas"));
        assertEquals(Set.of("data"), complete(new VolumeCompleter(core.volumes), "dat"));
    }
}
