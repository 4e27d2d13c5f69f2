package org.widecloud.api.model;

/**
 * Where a migration is. Each step is written to the journal before the action it names runs, so that after a
 * controller crash recovery knows what may have happened: the hypervisors then say what did.
 */
public enum MigrationStep {
    /** Checks passed; nothing done yet. */
    PLANNED,
    /** Storage and mobility are being prepared at the target. */
    PREPARING,
    /** libvirt is moving the VM; it runs at the source until the switch-over. */
    MIGRATING,
    /** The VM runs at the target: the network is being switched (mobility commit). */
    COMMITTING,
    /** The network follows the VM; the source side is being released. */
    RELEASING,
    /** Finished: the VM runs at the target. */
    DONE,
    /** Failed; the steps done so far are being undone. */
    ROLLING_BACK,
    /** Undone: the VM runs at the source as before. */
    ROLLED_BACK;

    public boolean isFinal() {
        return this == DONE || this == ROLLED_BACK;
    }
}
