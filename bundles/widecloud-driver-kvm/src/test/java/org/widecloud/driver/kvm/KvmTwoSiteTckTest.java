package org.widecloud.driver.kvm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.widecloud.api.spi.HostEndpoint;

/**
 * The driver TCK with the two-site lab's libvirtds (itests/lab/two-site-lab.sh, with its static stretch): site A is
 * the host and site B the migration target, so the TCK's live-migration part runs too (the one-daemon runs skip
 * it). Real QEMU guests under TCG: lab hosts are reached over qemu+tcp, so the domain type is set to qemu.
 */
class KvmTwoSiteTckTest extends KvmLabTckTest {
    private static TwoSiteLab lab;

    @BeforeAll
    static void twoSiteLabUp() throws Exception {
        lab = TwoSiteLab.up(true);
    }

    @AfterAll
    static void twoSiteLabRestore() throws Exception {
        if (lab != null) {
            lab.restore();
        }
    }

    @Override
    protected HostEndpoint host() {
        return TwoSiteLab.SITE_A;
    }

    @Override
    protected HostEndpoint migrationTarget() {
        return TwoSiteLab.SITE_B;
    }

    @Override
    protected String domainType() {
        return "qemu";
    }
}
