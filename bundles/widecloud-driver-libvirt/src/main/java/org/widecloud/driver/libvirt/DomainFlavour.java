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
 * @param acpi whether to give the guest ACPI (needed for graceful shutdown of QEMU and HVM guests)
 * @param consoleLogDir directory where libvirt copies each guest's serial console ({@code <uuid>.console.log}),
 *        or null for none
 * @param nicModel the NIC model of every interface (netfront for Xen PV guests), or null to keep the spec's
 * @param console {@link Console#SERIAL}: a serial port with the console on it (QEMU, HVM);
 *        {@link Console#XEN}: only the paravirtual console of Xen PV guests, which have no serial port
 * @param bootloader program that boots a guest from its disk on the host side (pygrub for Xen PV guests
 *        without a kernel of their own), or null; used only for disk boot
 */
public record DomainFlavour(String domainType, String osType, String arch, String machine, String diskDriver,
        String diskBus, boolean acpi, String consoleLogDir, String nicModel, Console console, String bootloader) {

    /** Where the guest's text console is. */
    public enum Console {
        SERIAL, XEN
    }

    public DomainFlavour {
        if (domainType == null || domainType.isBlank() || osType == null || osType.isBlank() || diskBus == null
                || diskBus.isBlank()) {
            throw new IllegalArgumentException("domainType, osType and diskBus are required");
        }
        console = console == null ? Console.SERIAL : console;
        if (console == Console.XEN && consoleLogDir != null && !consoleLogDir.isBlank()) {
            throw new IllegalArgumentException("consoleLogDir needs a serial console");
        }
    }

    /** A flavour with a serial console, the spec's NIC models and no bootloader (as QEMU guests have). */
    public DomainFlavour(String domainType, String osType, String arch, String machine, String diskDriver,
            String diskBus, boolean acpi, String consoleLogDir) {
        this(domainType, osType, arch, machine, diskDriver, diskBus, acpi, consoleLogDir, null, Console.SERIAL,
                null);
    }

    /** The flavour of QEMU guests (domain type kvm or qemu), also used for libvirt's test driver. */
    public static DomainFlavour qemu(String domainType, String consoleLogDir) {
        return new DomainFlavour(domainType, "hvm", null, null, "qemu", "virtio", true, consoleLogDir);
    }

    /**
     * A Xen paravirtual guest (libxl): os type xen, xvd* disks on the xen bus (qdisk backend), netfront NICs, the
     * PV console, no ACPI; disk-booted guests start through {@code bootloader} (e.g. pygrub).
     */
    public static DomainFlavour xenPv(String domainType, String bootloader) {
        return new DomainFlavour(domainType, "xen", null, null, "qemu", "xen", false, null, "netfront", Console.XEN,
                bootloader);
    }

    /**
     * A Xen HVM guest (libxl): os type hvm, ACPI (the guest powers off on the power button), xvd* disks (which
     * Xen also emulates as IDE until the guest's PV drivers take over), emulated e1000 NICs, a serial console.
     */
    public static DomainFlavour xenHvm(String domainType) {
        return new DomainFlavour(domainType, "hvm", null, null, "qemu", "xen", true, null, "e1000", Console.SERIAL,
                null);
    }

    public DomainFlavour withDomainType(String type) {
        return new DomainFlavour(type, osType, arch, machine, diskDriver, diskBus, acpi, consoleLogDir, nicModel,
                console, bootloader);
    }
}
