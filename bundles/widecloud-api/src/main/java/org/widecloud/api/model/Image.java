package org.widecloud.api.model;

import java.time.Instant;

/**
 * An OS image: either a disk image ({@code path}) or a kernel + initrd pair booted directly
 * ({@code kernel}, {@code initrd}, optional {@code cmdline}).
 */
public record Image(String id, String name, ImageKind kind, String path, String format, String kernel,
        String initrd, String cmdline, Instant created, long version) implements Entity {
}
