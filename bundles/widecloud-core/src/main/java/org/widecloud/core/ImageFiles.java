package org.widecloud.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ValidationException;

/**
 * Checks an image file on the controller with qemu-img before it is registered or imported: it must be
 * readable, of a format the caller accepts (and the one it claims, if it claims one), standalone (no backing
 * file, no VMDK extent elsewhere: either would make the controller read files it was not given) and, when
 * raw, a whole number of 512-byte sectors (qemu-img calls any file raw; a text file is not a disk).
 */
final class ImageFiles {
    /** Formats that can be registered (what libvirt's QEMU driver opens). */
    static final List<String> DISK_FORMATS = List.of("raw", "qcow2", "vmdk", "vdi", "vhdx");
    /** Formats that can be imported (converted to qcow2). */
    static final List<String> IMPORT_FORMATS = List.of("raw", "qcow2", "vmdk");

    /** A checked file: what qemu-img detected. */
    record Probed(Path file, String format, long virtualSizeBytes) {
    }

    private final QemuImg qemuImg;

    ImageFiles(QemuImg qemuImg) {
        this.qemuImg = qemuImg;
    }

    /** {@code path} was checked by {@link Names#path}; {@code given} is the claimed format or null. */
    Probed probe(String path, String given, List<String> accepted) {
        String claimed = given == null ? null : given.toLowerCase(Locale.ROOT);
        if (claimed != null && !accepted.contains(claimed)) {
            throw new ValidationException("format", "'" + Names.printable(given) + "' is not one of "
                    + String.join(", ", accepted));
        }
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            throw new ValidationException("path", "no such file on the controller");
        }
        if (!Files.isRegularFile(file)) {
            throw new ValidationException("path", "is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ValidationException("path", "the controller cannot read it");
        }
        QemuImg.Info info;
        try {
            info = qemuImg.info(file);
        } catch (QemuImg.Refused e) {
            throw new ValidationException("path", "qemu-img cannot read it: " + e.getMessage());
        }
        String detected = info.format() == null ? "unknown" : info.format();
        if (claimed != null && !claimed.equals(detected)) {
            throw new ValidationException("format", "the file is " + detected + ", not " + claimed);
        }
        if (!accepted.contains(detected)) {
            throw new ValidationException("path", "is a " + detected + " image; accepted formats are "
                    + String.join(", ", accepted));
        }
        if (info.backingFile() != null) {
            throw new ValidationException("path", "has a backing file: register a standalone image "
                    + "(qemu-img convert makes one)");
        }
        for (String extent : info.extents()) {
            Path e = file.toAbsolutePath().getParent().resolve(extent).normalize();
            if (!file.toAbsolutePath().getParent().equals(e.getParent())) {
                throw new ValidationException("path", "refers to an extent outside its own folder");
            }
        }
        long bytes = size(file);
        if (detected.equals("raw") && bytes % 512 != 0) {
            throw new ValidationException("path", "is not a disk image: a raw image is a whole number of 512-byte "
                    + "sectors, this file has " + bytes + " bytes");
        }
        if (info.virtualSizeBytes() <= 0) {
            throw new ValidationException("path", "is an empty disk image");
        }
        return new Probed(file, detected, info.virtualSizeBytes());
    }

    /** {@code sha256:<hex>} of the file's bytes. */
    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new BackendException("cannot read " + file + " for its checksum: " + e.getMessage(), e);
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ValidationException("path", "the controller cannot read its size: " + e.getMessage());
        }
    }
}
