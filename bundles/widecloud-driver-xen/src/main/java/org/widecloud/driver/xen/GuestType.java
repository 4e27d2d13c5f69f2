package org.widecloud.driver.xen;

import java.util.Locale;

/** Which kind of Xen guest a VM becomes: configured, or for {@code auto} chosen by how its image boots. */
enum GuestType {
    AUTO, PV, HVM;

    static GuestType parse(String value) {
        String v = value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto" -> AUTO;
            case "pv" -> PV;
            case "hvm" -> HVM;
            default -> throw new IllegalArgumentException("guest.type: '" + value + "' is not auto, pv or hvm");
        };
    }

    /**
     * PV or HVM for a VM. {@code auto}: an image that brings its own kernel runs paravirtualised (no emulation,
     * boots anywhere Xen runs, also without VT-x/AMD-V); a disk image is an installed OS with its own boot loader
     * and firmware expectations, which HVM runs as on real hardware.
     */
    GuestType resolve(boolean kernelBoot) {
        return this != AUTO ? this : kernelBoot ? PV : HVM;
    }
}
