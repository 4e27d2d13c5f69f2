package org.widecloud.api.spi;

import java.util.List;
import java.util.Map;

import org.widecloud.api.model.MobilityBinding;

/**
 * Keeps a network's addresses reachable wherever its VMs run (NEMO, VLAN, VXLAN). Registered with the
 * service property {@value #TYPE_PROPERTY}. Steps of a migration: {@link #prepare} at the target before it,
 * {@link #commit} the moment the VM resumes there, {@link #release} at the source after, {@link #rollback}
 * on failure.
 */
public interface MobilityBackend {
    String TYPE_PROPERTY = "mobility";

    String type();

    /**
     * Refuses network parameters this backend cannot use: with
     * {@link org.widecloud.api.service.ValidationException} naming the field ({@code parameters.vid}), or with
     * {@link DriverException} (reported against {@code parameters}).
     */
    void validate(Map<String, String> parameters);

    /**
     * Like {@link #validate(Map)}, knowing the network's prefixes (either may be null), for backends whose
     * parameters must agree with them (a home agent address outside the mobile network prefix).
     */
    default void validate(String ipv4Prefix, String ipv6Prefix, Map<String, String> parameters) {
        validate(parameters);
    }

    /**
     * Whether the backend moves a network as a whole (NEMO binds prefixes, not single addresses): then all the
     * running VMs of one network must be on one host, placement puts new ones there and a migration that would
     * split them is refused.
     */
    default boolean movesWholeNetwork() {
        return false;
    }

    /**
     * Where the backend delivers the network now (read from the hosts or its own state); the attachment's VM
     * fields are null. Empty when the backend keeps no such state.
     */
    default List<MobilityBinding> bindings(NetworkAttachment network) {
        return List.of();
    }

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
