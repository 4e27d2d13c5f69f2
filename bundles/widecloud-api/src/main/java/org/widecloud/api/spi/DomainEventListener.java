package org.widecloud.api.spi;

/** Lifecycle events from a host: {@code vmId} is the domain UUID, {@code state} its state after the event. */
@FunctionalInterface
public interface DomainEventListener {
    void onEvent(String hostId, String vmId, DomainState state, String detail);
}
