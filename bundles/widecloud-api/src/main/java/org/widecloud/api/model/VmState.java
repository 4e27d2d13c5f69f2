package org.widecloud.api.model;

public enum VmState {
    /** Accepted; being defined on its host. */
    CREATING,
    /** Defined on its host, never started or not running and not shut down by the guest. */
    DEFINED,
    RUNNING,
    PAUSED,
    STOPPED,
    MIGRATING,
    /** Being removed from its host. */
    DELETING,
    /** The controller cannot tell or the hypervisor reports a failure; {@code stateReason} says why. */
    ERROR,
    /** Its host's driver is missing or the host does not answer: the last known state is unknown now. */
    UNKNOWN;

    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == MIGRATING;
    }
}
