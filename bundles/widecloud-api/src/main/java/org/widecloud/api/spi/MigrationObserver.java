package org.widecloud.api.spi;

/**
 * Watches a live migration from outside the hypervisor, e.g. a probe that streams packets to the VM and measures
 * the longest gap a client saw (the lab's gap meter). Optional: the saga calls every registered observer; none
 * is needed. {@link #begin} runs before the hypervisor starts, {@link Watch#end} after the network is committed
 * at the target (or after a rollback).
 */
public interface MigrationObserver {

    /** Returns a watch for this migration, or null when this observer does not watch that VM. */
    Watch begin(String migrationId, String vmId, String vmName, HostEndpoint source, HostEndpoint target);

    interface Watch {
        /** The longest service gap seen in milliseconds, or null if not measured; may wait briefly for traffic. */
        Long end(boolean succeeded);
    }
}
