package org.widecloud.api.spi;

import java.util.Map;

/**
 * Keeps a network's addresses reachable wherever its VMs run (NEMO, VLAN, VXLAN). Registered with the
 * service property {@value #TYPE_PROPERTY}. Steps of a migration: {@link #prepare} at the target before it,
 * {@link #commit} the moment the VM resumes there, {@link #release} at the source after, {@link #rollback}
 * on failure.
 */
public interface MobilityBackend {
    String TYPE_PROPERTY = "mobility";

    String type();

    /** Refuses (with {@link DriverException}) network parameters this backend cannot use. */
    void validate(Map<String, String> parameters);

    /** Whether the network can be extended to the given site. */
    boolean canExtendTo(NetworkAttachment network, String siteId);

    /** Makes the network present on the host before a VM on it starts. */
    void attach(NetworkAttachment network, HostEndpoint host);

    void prepare(NetworkAttachment network, HostEndpoint source, HostEndpoint target);

    void commit(NetworkAttachment network, HostEndpoint source, HostEndpoint target);

    void rollback(NetworkAttachment network, HostEndpoint source, HostEndpoint target);

    void release(NetworkAttachment network, HostEndpoint host);

    /** A network and one NIC on it. */
    record NetworkAttachment(String networkId, String networkName, String ipv4Prefix, String ipv6Prefix,
            String bridge, Map<String, String> parameters, String vmId, String mac, String ipv4, String ipv6) {
    }
}
