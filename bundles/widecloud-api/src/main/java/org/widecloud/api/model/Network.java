package org.widecloud.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * A layer-2 network with its IPv4 and IPv6 prefixes (CIDR; either may be null). {@code mobility} names the
 * backend that carries it between sites ({@code bridge} = plain host bridge, no mobility); {@code bridge} is
 * the host bridge its NICs attach to; {@code parameters} are the mobility backend's own settings.
 */
public record Network(String id, String name, String ipv4Prefix, String ipv6Prefix, String mobility, String bridge,
        Map<String, String> parameters, Instant created, long version) implements Entity {

    public Network {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
