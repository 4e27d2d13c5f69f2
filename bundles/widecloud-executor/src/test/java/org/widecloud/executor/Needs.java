package org.widecloud.executor;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a test needs from this machine: skipped with the reason when missing, failed under CI=true. */
final class Needs {
    private Needs() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static void that(boolean present, String what) {
        if (present) {
            return;
        }
        if (ci()) {
            fail(what + " (CI=true: this test must run)");
        }
        assumeTrue(false, what + ": skipped");
    }

    static void root() {
        that(uid() == 0, "needs root (network namespaces)");
    }

    static void program(String path, String pkg) {
        that(Files.isExecutable(Path.of(path)), "needs " + path + " (Debian package " + pkg + ")");
    }

    static int uid() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            p.waitFor();
            return Integer.parseInt(out);
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
