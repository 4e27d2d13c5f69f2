package org.widecloud.driver.xen;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a test needs from this machine: missing means skip with the reason, except under CI=true. */
final class Environment {
    private Environment() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static void require(boolean present, String whatIsMissing) {
        if (!present) {
            if (ci()) {
                fail(whatIsMissing + " (CI=true: this test must run)");
            }
            assumeTrue(false, "skipped: " + whatIsMissing);
        }
    }
}
