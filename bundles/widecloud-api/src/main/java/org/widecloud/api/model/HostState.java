package org.widecloud.api.model;

public enum HostState {
    /** Connected; its facts and VM states are current. */
    UP,
    /** Its driver is installed but the host does not answer. */
    DOWN,
    /** No hypervisor driver of the host's type is installed: its VMs keep running, operations wait. */
    NO_DRIVER,
    /** Set by an operator: placement does not choose it. */
    MAINTENANCE
}
