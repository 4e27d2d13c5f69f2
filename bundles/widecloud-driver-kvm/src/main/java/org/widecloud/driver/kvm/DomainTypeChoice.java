package org.widecloud.driver.kvm;

import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.widecloud.driver.libvirt.HostProbe;

/** Which {@code <domain type>} a host gets: the configured one, or for {@code auto} what the host can run. */
enum DomainTypeChoice {
    AUTO, KVM, QEMU;

    static DomainTypeChoice parse(String value) {
        String v = value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto" -> AUTO;
            case "kvm" -> KVM;
            case "qemu" -> QEMU;
            default -> throw new IllegalArgumentException("domain.type: '" + value + "' is not auto, kvm or qemu");
        };
    }

    /**
     * libvirt's test hypervisor only takes type {@code test}. {@code auto} picks kvm when the host's capabilities
     * offer it and, for a local URI, the CPU really has hardware virtualisation: a /dev/kvm without vmx/svm (as on
     * nested or software-virtualised machines) makes libvirt offer kvm although normal guests cannot run on it.
     */
    String domainType(HostProbe probe, BooleanSupplier localCpuHasVirtualization) {
        if (probe.isTestDriver()) {
            return "test";
        }
        return switch (this) {
            case KVM -> "kvm";
            case QEMU -> "qemu";
            case AUTO -> probe.offers("hvm", "kvm") && (!probe.local() || localCpuHasVirtualization.getAsBoolean())
                    ? "kvm" : "qemu";
        };
    }
}
