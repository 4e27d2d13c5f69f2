package org.widecloud.driver.xenserver;

import org.widecloud.api.spi.DomainState;

/** XAPI's {@code vm_power_state} as widecloud's {@link DomainState}. */
final class PowerStates {
    private PowerStates() {
    }

    /**
     * Suspended maps to PAUSED, not SHUTOFF: the guest's memory is kept and it resumes where it was
     * (start resumes it), as a paused guest does.
     */
    static DomainState of(String powerState) {
        if (powerState == null) {
            return DomainState.UNKNOWN;
        }
        return switch (powerState.toLowerCase(java.util.Locale.ROOT)) {
            case "running" -> DomainState.RUNNING;
            case "halted" -> DomainState.SHUTOFF;
            case "paused", "suspended" -> DomainState.PAUSED;
            default -> DomainState.UNKNOWN;
        };
    }
}
