package org.widecloud.api.model;

public enum PoolState {
    /** Volumes can be created. */
    ACTIVE,
    /** Set by an operator: existing volumes work, no new ones are placed there. */
    MAINTENANCE,
    /** The backend cannot reach it (storage server down, backend bundle missing); {@code stateReason} says why. */
    UNAVAILABLE
}
