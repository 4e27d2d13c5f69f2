package org.widecloud.driver.libvirt;

import java.net.URI;

import org.widecloud.driver.libvirt.internal.CapabilitiesXml;

/**
 * What a driver may look at to choose a host's {@link DomainFlavour}, read once per connection.
 *
 * @param uri the libvirt URI
 * @param connectionType libvirt's name of the hypervisor (QEMU, TEST, Xen, ...)
 * @param capabilitiesXml the host's capabilities document
 * @param local true when the URI names no remote host (the driver runs on the hypervisor's machine)
 */
public record HostProbe(String uri, String connectionType, String capabilitiesXml, boolean local) {

    /** True for libvirt's built-in test hypervisor ({@code test:///default}, {@code test:///path}). */
    public boolean isTestDriver() {
        return uri.startsWith("test:") || "TEST".equalsIgnoreCase(connectionType);
    }

    /** Whether the host's capabilities offer guests of {@code osType} with the domain type on the host's arch. */
    public boolean offers(String osType, String domainType) {
        return CapabilitiesXml.offers(capabilitiesXml, osType, domainType);
    }

    /** True when the URI has no host part ({@code qemu:///system}, {@code test:///default}, ...). */
    public static boolean isLocal(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null || host.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
