package org.widecloud.driver.libvirt;

/**
 * What differs in the domain XML between hypervisors and hosts; everything else is the same for all of them.
 *
 * @param domainType {@code <domain type=...>}: kvm, qemu, xen, test
 * @param osType {@code <os><type>}: hvm (full virtualisation), xen/linux for paravirtual guests
 * @param arch {@code <type arch=...>}, or null for the host's default
 * @param machine {@code <type machine=...>}, or null for the hypervisor's default
 * @param diskDriver {@code <disk><driver name=...>} (qemu for QEMU), or null to omit the driver element
 * @param diskBus bus of disks (virtio, xen, ...)
 * @param acpi whether to give the guest ACPI (needed for graceful shutdown of QEMU guests)
 * @param consoleLogDir directory where libvirt copies each guest's serial console ({@code <uuid>.console.log}),
 *        or null for none
 */
public record DomainFlavour(String domainType, String osType, String arch, String machine, String diskDriver,
        String diskBus, boolean acpi, String consoleLogDir) {

    public DomainFlavour {
        if (domainType == null || domainType.isBlank() || osType == null || osType.isBlank() || diskBus == null
                || diskBus.isBlank()) {
            throw new IllegalArgumentException("domainType, osType and diskBus are required");
        }
    }

    /** The flavour of QEMU guests (domain type kvm or qemu), also used for libvirt's test driver. */
    public static DomainFlavour qemu(String domainType, String consoleLogDir) {
        return new DomainFlavour(domainType, "hvm", null, null, "qemu", "virtio", true, consoleLogDir);
    }

    public DomainFlavour withDomainType(String type) {
        return new DomainFlavour(type, osType, arch, machine, diskDriver, diskBus, acpi, consoleLogDir);
    }
}
