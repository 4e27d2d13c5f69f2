package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a test needs from this machine: missing means skip with the reason, except under CI=true, where the test
 * must run and fails instead. Shared by the libvirt-based drivers' tests (driver-libvirt test jar).
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The machine's own libvirtd ({@code qemu:///system}): skip without it, fail under CI=true. */
    public static void requireLibvirtd() {
        require(java.nio.file.Files.exists(java.nio.file.Path.of("/run/libvirt/libvirt-sock")),
                "no libvirtd socket at /run/libvirt/libvirt-sock (start it: virtlogd -d; libvirtd -d)");
    }

    public static void require(boolean present, String whatIsMissing) {
        if (!present) {
            if (ci()) {
                fail(whatIsMissing + " (CI=true: this test must run)");
            }
            assumeTrue(false, "skipped: " + whatIsMissing);
        }
    }
}
