package org.widecloud.driver.xen;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.MigrationOptions;

/**
 * What of a migration's options libvirt's libxl driver can do. libxl migrates live, peer to peer, with its own
 * downtime heuristics: it has no max-downtime setting, no auto-converge, no post-copy, no bandwidth limit and no
 * storage copy (virDomainMigrate* refuses the flags). The first two are tuning that the controller asks for by
 * default, so they are left out; the others change what the migration does, so asking for them is an error.
 */
final class XenMigration {
    private XenMigration() {
    }

    static MigrationOptions adapt(MigrationOptions o) {
        if (o == null) {
            return null; // the shared code says that options are required
        }
        if (o.postCopy()) {
            throw new DriverException("options.postCopy: Xen (libxl) has no post-copy migration", null);
        }
        if (o.copyStorage()) {
            throw new DriverException("options.copyStorage: Xen (libxl) migrates memory only; the VM's disks must "
                    + "be reachable from the target host (shared storage)", null);
        }
        if (o.bandwidthMiBps() > 0) {
            throw new DriverException("options.bandwidthMiBps: Xen (libxl) cannot limit the migration bandwidth; "
                    + "use 0 (unlimited)", null);
        }
        return new MigrationOptions(o.live(), null, 0, false, false, false, o.timeout());
    }
}
