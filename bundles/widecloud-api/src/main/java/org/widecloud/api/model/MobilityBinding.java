package org.widecloud.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * Where a mobility backend currently delivers (part of) a network: for NEMO a mobile network prefix bound to a
 * care-of address at the home agent, for VXLAN a MAC reached at a VTEP, for VLAN a host carrying the VLAN.
 * {@code key} is what is bound (a prefix, a MAC, a VLAN id), {@code location} where it is delivered (a care-of
 * address, a VTEP, a device), {@code host} the widecloud host there (may be null). {@code since} and
 * {@code expires} are null when the backend does not know or has no lifetime; {@code details} holds the
 * backend's own facts (home agent, tunnel, lifetime).
 */
public record MobilityBinding(String network, String key, String location, String host, Instant since,
        Instant expires, Map<String, String> details) {

    public MobilityBinding {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
