package org.widecloud.api.model;

import java.time.Instant;

/**
 * An OS image: either a disk image ({@code path}) or a kernel + initrd pair booted directly
 * ({@code kernel}, {@code initrd}, optional {@code cmdline}). For disk images {@code format} is what
 * {@code qemu-img info} detected, {@code virtualSizeBytes} the disk size it reports and {@code checksum} the
 * file's {@code sha256:<hex>}.
 */
public record Image(String id, String name, ImageKind kind, String path, String format, String kernel,
        String initrd, String cmdline, Instant created, long version, Long virtualSizeBytes, String checksum)
        implements Entity {

    /** An image whose size and checksum are not known (kernel images, records from before they were kept). */
    public Image(String id, String name, ImageKind kind, String path, String format, String kernel, String initrd,
            String cmdline, Instant created, long version) {
        this(id, name, kind, path, format, kernel, initrd, cmdline, created, version, null, null);
    }
}
