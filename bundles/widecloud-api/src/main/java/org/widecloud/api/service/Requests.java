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

    /**
     * {@code host} or {@code site} may be given to place the VM; neither lets the scheduler choose. A disk image
     * becomes the VM's root volume in {@code pool} (copy-on-write where the backend can; {@code diskGiB} grows
     * it); without a pool the image file is used as it is (the first slice's behaviour). {@code volumes} are
     * existing volumes attached as further disks.
     */
    public record VmCreate(String name, String host, String site, Integer vcpus, Long memoryMiB, String image,
            List<NicRequest> nics, Boolean start, String pool, Integer diskGiB, List<String> volumes) {
        public VmCreate(String name, String host, String site, Integer vcpus, Long memoryMiB, String image,
                List<NicRequest> nics, Boolean start) {
            this(name, host, site, vcpus, memoryMiB, image, nics, start, null, null, null);
        }
    }

    /** {@code site} null makes a wide-area pool; {@code parameters} are the backend's (see its README section). */
    public record PoolCreate(String name, String site, String backend, Map<String, String> parameters) {
    }

    /** {@code state}: ACTIVE or MAINTENANCE. Parameters change only while the pool holds no volume. */
    public record PoolUpdate(String name, String state, Map<String, String> parameters, Long version) {
    }

    /**
     * A volume in {@code pool}: blank of {@code sizeBytes}, or from {@code image} (then {@code sizeBytes} may be
     * null for the image's size, or larger to grow it). {@code host} chooses the host for host-local pools.
     * {@code format}: qcow2 (default where the backend supports it) or raw.
     */
    public record VolumeCreate(String name, String pool, String host, Long sizeBytes, String format, String image) {
    }

    /** Grows a volume (never shrinks). */
    public record VolumeResize(Long sizeBytes, Long version) {
    }

    /** Attaches a volume to a VM as its next disk (the VM stopped or defined, and on a host that reaches it). */
    public record VolumeAttach(String vm) {
    }

    /**
     * Imports a disk image (P2V: a physical server's disk imaged with MondoRescue or dd) from a file the
     * controller reads: {@code format} raw, qcow2 or vmdk (detected when null); it is converted to qcow2 with
     * qemu-img into the controller's image directory and registered as a disk image.
     */
    public record ImageImport(String name, String path, String format) {
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
