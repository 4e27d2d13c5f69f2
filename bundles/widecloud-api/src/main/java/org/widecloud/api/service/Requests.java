package org.widecloud.api.service;

import java.util.List;
import java.util.Map;

/**
 * Inputs of create and update calls, as front ends receive them. References to other objects ({@code site},
 * {@code host}, {@code network}, {@code image}) accept a name or an id. In updates a null field means
 * "unchanged"; {@code version}, when given, must match the stored version (optimistic locking).
 */
public final class Requests {
    private Requests() {
    }

    public record SiteCreate(String name, String description) {
    }

    public record SiteUpdate(String name, String description, String state, Long version) {
    }

    /** {@code address} and {@code executor}: see {@link org.widecloud.api.model.Host}; optional. */
    public record HostCreate(String name, String site, String driver, String uri, String address, String executor) {
        public HostCreate(String name, String site, String driver, String uri) {
            this(name, site, driver, uri, null, null);
        }
    }

    public record HostUpdate(String name, String uri, String state, Long version, String address, String executor) {
        public HostUpdate(String name, String uri, String state, Long version) {
            this(name, uri, state, version, null, null);
        }
    }

    public record NetworkCreate(String name, String ipv4Prefix, String ipv6Prefix, String mobility, String bridge,
            Map<String, String> parameters) {
    }

    public record NetworkUpdate(String name, String bridge, Map<String, String> parameters, Long version) {
    }

    public record ImageCreate(String name, String path, String format, String kernel, String initrd,
            String cmdline) {
    }

    public record ImageUpdate(String name, String cmdline, Long version) {
    }

    public record NicRequest(String network, String ipv4, String ipv6, String mac) {
    }

    /** {@code host} or {@code site} may be given to place the VM; neither lets the scheduler choose. */
    public record VmCreate(String name, String host, String site, Integer vcpus, Long memoryMiB, String image,
            List<NicRequest> nics, Boolean start) {
    }

    /**
     * A live migration: to {@code host}, or to a host of {@code site} chosen by placement. Options left null take
     * the controller's defaults: live, {@code maxDowntimeMs}, {@code bandwidthMiBps} (0 = unlimited),
     * {@code autoConverge}, {@code postCopy}, {@code copyStorage} (for site-local disks), {@code timeoutSeconds}.
     */
    public record VmMigrate(String host, String site, Integer maxDowntimeMs, Integer bandwidthMiBps,
            Boolean autoConverge, Boolean postCopy, Boolean copyStorage, Integer timeoutSeconds) {
    }

    /** Changes to vcpus and memory need the VM stopped or defined. */
    public record VmUpdate(String name, Integer vcpus, Long memoryMiB, Long version) {
    }
}
