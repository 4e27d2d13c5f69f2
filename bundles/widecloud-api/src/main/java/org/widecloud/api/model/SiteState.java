package org.widecloud.api.model;

public enum SiteState {
    /** Accepts new VMs. */
    ACTIVE,
    /** Being evacuated or under maintenance: placement avoids it. */
    MAINTENANCE
}
