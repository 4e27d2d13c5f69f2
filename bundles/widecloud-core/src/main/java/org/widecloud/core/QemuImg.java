package org.widecloud.core;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.widecloud.api.service.BackendException;

/**
 * {@code qemu-img} run as an argument vector (no shell), with a timeout. Paths given to it are absolute, so
 * qemu never reads one as a protocol ({@code nbd:...}, {@code json:...}).
 */
final class QemuImg {
    /** What {@code qemu-img info} reports; {@code extents} are the files a VMDK descriptor refers to. */
    record Info(String format, long virtualSizeBytes, String backingFile, List<String> extents) {
    }

    /** qemu-img ran and refused the file: its message, safe to show (control characters removed). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final Executor DRAIN = r -> {
        Thread t = new Thread(r, "qemu-img-output");
        t.setDaemon(true);
        t.start();
    };

    private final String command;
    private final Duration infoTimeout;
    private final Duration convertTimeout;

    QemuImg(String command, Duration infoTimeout, Duration convertTimeout) {
        this.command = command;
        this.infoTimeout = infoTimeout;
        this.convertTimeout = convertTimeout;
    }

    Info info(Path file) throws Refused {
        String json = run(List.of(command, "info", "--output=json", "--force-share", file.toAbsolutePath().toString()),
                infoTimeout);
        try {
            return parse(json);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new BackendException("qemu-img info printed what the controller cannot read: " + e.getMessage(), e);
        }
    }

    /** Converts {@code source} (of {@code format}) to a new qcow2 file {@code target}. */
    void convertToQcow2(Path source, String format, Path target) throws Refused {
        run(List.of(command, "convert", "-q", "-f", format, "-O", "qcow2", source.toAbsolutePath().toString(),
                target.toAbsolutePath().toString()), convertTimeout);
    }

    @SuppressWarnings("unchecked")
    static Info parse(String json) {
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse(json);
        List<String> extents = new ArrayList<>();
        if (m.get("format-specific") instanceof Map<?, ?> specific && specific.get("data") instanceof Map<?, ?> data
                && data.get("extents") instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof Map<?, ?> extent && extent.get("filename") instanceof String f) {
                    extents.add(f);
                }
            }
        }
        Object size = m.get("virtual-size");
        return new Info((String) m.get("format"), size instanceof Number n ? n.longValue() : -1,
                (String) m.get("backing-filename"), extents);
    }

    private String run(List<String> argv, Duration timeout) throws Refused {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new BackendException("cannot run " + command + " on the controller (install qemu-utils): "
                    + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), DRAIN);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), DRAIN);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BackendException("qemu-img " + argv.get(1) + " did not end within " + timeout.toSeconds()
                        + " s", null);
            }
            if (p.exitValue() != 0) {
                throw new Refused(message(err.join(), p.exitValue()));
            }
            return out.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while qemu-img " + argv.get(1) + " ran", e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** qemu-img's last line, without its "qemu-img: " prefix, shortened. */
    private static String message(String stderr, int exit) {
        String[] lines = stderr.strip().split("\n");
        String last = lines[lines.length - 1].strip().replaceFirst("^qemu-img: ", "");
        if (last.isEmpty()) {
            return "qemu-img ended with status " + exit;
        }
        last = last.replaceAll("\\p{Cntrl}", "?");
        return last.length() > 300 ? last.substring(0, 297) + "..." : last;
    }
}
