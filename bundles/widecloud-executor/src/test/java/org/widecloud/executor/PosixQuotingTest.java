package org.widecloud.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.HostExecutor;

class PosixQuotingTest {

    @Test
    void quotesWhatAShellWouldInterpret() {
        assertEquals("plain/path-1.2:x=y", PosixQuoting.quote("plain/path-1.2:x=y"));
        assertEquals("''", PosixQuoting.quote(""));
        assertEquals("'two words'", PosixQuoting.quote("two words"));
        assertEquals("'it'\\''s'", PosixQuoting.quote("it's"));
        assertEquals("'$(id)'", PosixQuoting.quote("$(id)"));
        assertEquals("'~'", PosixQuoting.quote("~"));
        assertThrows(IllegalArgumentException.class, () -> PosixQuoting.quote("a\0b"));
    }

    /** The string SSH would carry, parsed by real shells (dash is Debian's sh, and bash): arguments arrive intact. */
    @Test
    void realShellsGetEveryHostileArgumentBackIntact() throws Exception {
        Files.deleteIfExists(Path.of("/tmp/wcx-pwned"));
        HostExecutor local = new ProcessExecutor(List.of(), Duration.ofSeconds(10));
        String command = PosixQuoting.join(Hostile.printfArgv(Hostile.ARGS));
        for (String shell : List.of("/bin/sh", "/bin/bash")) {
            HostExecutor.Result r = local.check(List.of(shell, "-c", command), Duration.ofSeconds(10));
            assertEquals(Hostile.ARGS, Hostile.split(r.stdout()), shell);
        }
        assertFalse(Files.exists(Path.of("/tmp/wcx-pwned")), "a quoted argument ran as a command");
    }
}
