package org.widecloud.api.spi;

/** A hypervisor's view of one VM. */
public enum DomainState {
    RUNNING, PAUSED, SHUTOFF, CRASHED, MISSING, UNKNOWN
}
