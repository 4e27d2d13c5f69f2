package org.widecloud.api.spi;

/** How a driver reaches a host: the host's widecloud id and name, and its URI. */
public record HostEndpoint(String hostId, String hostName, String uri) {
}
