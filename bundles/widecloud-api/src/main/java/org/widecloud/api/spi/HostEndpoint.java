package org.widecloud.api.spi;

/**
 * How backends reach a host: the host's widecloud id and name, the hypervisor URI, its underlay address on the
 * site network (VTEP, care-of address; may be null) and how commands run on it ({@code local},
 * {@code netns:NAME}, {@code ssh://user@host}; may be null when nothing needs to run commands there).
 */
public record HostEndpoint(String hostId, String hostName, String uri, String address, String executor) {

    public HostEndpoint(String hostId, String hostName, String uri) {
        this(hostId, hostName, uri, null, null);
    }

    /** How backends reach a registered host. */
    public static HostEndpoint of(org.widecloud.api.model.Host h) {
        return new HostEndpoint(h.id(), h.name(), h.uri(), h.address(), h.executor());
    }
}
