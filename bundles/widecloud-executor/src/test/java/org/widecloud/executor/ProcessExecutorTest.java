package org.widecloud.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostExecutor;

class ProcessExecutorTest {
    private final HostExecutor local = new ProcessExecutor(List.of(), Duration.ofSeconds(10));

    @Test
    void argumentsReachTheProgramAsTheyAreWithNoShell() throws Exception {
        Files.deleteIfExists(Path.of("/tmp/wcx-pwned"));
        HostExecutor.Result r = local.check(Hostile.printfArgv(Hostile.ARGS), Duration.ofSeconds(10));
        assertEquals(Hostile.ARGS, Hostile.split(r.stdout()));
        assertFalse(Files.exists(Path.of("/tmp/wcx-pwned")));
    }

    @Test
    void exitCodeAndStderrAreReportedNotThrown() {
        HostExecutor.Result r = local.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        DriverException e = assertThrows(DriverException.class,
                () -> local.check(List.of("sh", "-c", "echo broken >&2; exit 3"), Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("exited 3") && e.getMessage().contains("broken"), e.getMessage());
    }

    @Test
    void aCommandPastItsTimeoutIsKilled() {
        long start = System.nanoTime();
        DriverException e = assertThrows(DriverException.class,
                () -> local.run(List.of("sleep", "30"), Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    }

    @Test
    void largeOutputOnBothStreamsDoesNotBlock() {
        HostExecutor.Result r = local.check(List.of("sh", "-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"),
                Duration.ofSeconds(20));
        assertEquals(300000, r.stdout().length());
        assertEquals(300000, r.stderr().length());
    }

    @Test
    void badArgumentVectorsAreRefusedBeforeAnythingRuns() {
        assertThrows(DriverException.class, () -> local.run(List.of(), null));
        assertThrows(DriverException.class, () -> local.run(Arrays.asList("echo", null), null));
        DriverException nul = assertThrows(DriverException.class, () -> local.run(List.of("echo", "a\0b"), null));
        assertTrue(nul.getMessage().startsWith("argv[1]"), nul.getMessage());
        DriverException missing = assertThrows(DriverException.class,
                () -> local.run(List.of("/nonexistent/wcx-program"), null));
        assertTrue(missing.getMessage().contains("cannot start /nonexistent/wcx-program"), missing.getMessage());
    }
}
