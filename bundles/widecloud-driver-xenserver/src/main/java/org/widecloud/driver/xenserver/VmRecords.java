package org.widecloud.driver.xenserver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.widecloud.api.spi.VmSpec;

/**
 * The records widecloud passes to {@code VM.create}, {@code VBD.create} and {@code VIF.create}: every field XAPI
 * requires, int64 values as strings (XAPI's XML-RPC convention). Kernel boot makes a PV guest (kernel and
 * ramdisk paths are dom0 paths); disk boot makes an HVM guest booting from its first disk.
 */
final class VmRecords {
    private static final long MIB = 1024L * 1024;

    private VmRecords() {
    }

    static Map<String, Object> vm(VmSpec spec, String affinity) {
        String memory = Long.toString(spec.memoryMiB() * MIB);
        String vcpus = Integer.toString(spec.vcpus());
        VmSpec.Boot boot = spec.boot();
        boolean pv = boot.isKernel();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name_label", spec.name());
        r.put("name_description", "widecloud vm " + spec.id());
        r.put("user_version", "1");
        r.put("is_a_template", false);
        r.put("affinity", affinity == null ? Fields.NULL_REF : affinity);
        r.put("memory_static_max", memory);
        r.put("memory_dynamic_max", memory);
        r.put("memory_dynamic_min", memory);
        r.put("memory_static_min", memory);
        r.put("VCPUs_params", Map.of());
        r.put("VCPUs_max", vcpus);
        r.put("VCPUs_at_startup", vcpus);
        r.put("actions_after_shutdown", "destroy");
        r.put("actions_after_reboot", "restart");
        r.put("actions_after_crash", "restart");
        r.put("PV_bootloader", "");
        r.put("PV_kernel", pv ? boot.kernel() : "");
        r.put("PV_ramdisk", pv && boot.initrd() != null ? boot.initrd() : "");
        r.put("PV_args", pv && boot.cmdline() != null ? boot.cmdline() : "");
        r.put("PV_bootloader_args", "");
        r.put("PV_legacy_args", "");
        r.put("HVM_boot_policy", pv ? "" : "BIOS order");
        r.put("HVM_boot_params", pv ? Map.of() : Map.of("order", "c"));
        r.put("HVM_shadow_multiplier", 1.0);
        r.put("platform", pv ? Map.of() : Map.of("acpi", "1", "apic", "true", "pae", "true", "nx", "true"));
        r.put("PCI_bus", "");
        r.put("other_config", Map.of(PoolConnection.WIDECLOUD_ID, spec.id()));
        r.put("recommendations", "");
        r.put("xenstore_data", Map.of());
        r.put("ha_always_run", false);
        r.put("ha_restart_priority", "");
        r.put("tags", List.of("widecloud"));
        r.put("blocked_operations", Map.of());
        r.put("protection_policy", Fields.NULL_REF);
        r.put("is_snapshot_from_vmpp", false);
        r.put("appliance", Fields.NULL_REF);
        r.put("start_delay", "0");
        r.put("shutdown_delay", "0");
        r.put("order", "0");
        r.put("suspend_SR", Fields.NULL_REF);
        r.put("version", "0");
        r.put("generation_id", "");
        r.put("hardware_platform_version", "0");
        r.put("has_vendor_device", false);
        r.put("reference_label", "");
        r.put("domain_type", pv ? "pv" : "hvm");
        return r;
    }

    static Map<String, Object> vbd(String vm, String vdi, int position, boolean readOnly, boolean bootable) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("VM", vm);
        r.put("VDI", vdi);
        r.put("userdevice", Integer.toString(position));
        r.put("bootable", bootable);
        r.put("mode", readOnly ? "RO" : "RW");
        r.put("type", "Disk");
        r.put("unpluggable", false);
        r.put("empty", false);
        r.put("other_config", Map.of());
        r.put("qos_algorithm_type", "");
        r.put("qos_algorithm_params", Map.of());
        return r;
    }

    static Map<String, Object> vif(String vm, String network, String mac, int position) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("device", Integer.toString(position));
        r.put("network", network);
        r.put("VM", vm);
        r.put("MAC", mac == null ? "" : mac);
        r.put("MTU", "1500");
        r.put("other_config", Map.of());
        r.put("qos_algorithm_type", "");
        r.put("qos_algorithm_params", Map.of());
        r.put("locking_mode", "network_default");
        r.put("ipv4_allowed", List.of());
        r.put("ipv6_allowed", List.of());
        return r;
    }
}
