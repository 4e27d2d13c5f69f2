package org.widecloud.driver.xenserver;

import org.widecloud.api.spi.HostEndpoint;

/** The TCK again, migrating across pools ({@code host.migrate_receive} + {@code VM.migrate_send}). */
class XenServerCrossPoolTckTest extends XenServerTckTest {
    @Override
    protected HostEndpoint migrationTarget() {
        return endpoint(poolB, "tck-b1");
    }
}
