package org.widecloud.api.spi;

import java.util.List;

/**
 * Everything a driver needs to define a VM. Values come validated from core, but drivers still never put
 * them into XML or command lines unescaped.
 *
 * @param id UUID, used as the hypervisor's domain UUID
 * @param name domain name
 * @param boot how it boots: a disk or a kernel + initrd
 * @param disks block devices in order; the first is the boot disk for {@link Boot#disk()}
 * @param nics network interfaces in order
 */
public record VmSpec(String id, String name, int vcpus, long memoryMiB, Boot boot, List<Disk> disks,
        List<NicSpec> nics) {

    public VmSpec {
        disks = disks == null ? List.of() : List.copyOf(disks);
        nics = nics == null ? List.of() : List.copyOf(nics);
    }

    /** Kernel boot when {@code kernel} is set, otherwise from the first disk. */
    public record Boot(String kernel, String initrd, String cmdline) {
        public static Boot disk() {
            return new Boot(null, null, null);
        }

        public boolean isKernel() {
            return kernel != null;
        }
    }

    /**
     * A disk: a local file ({@code type} "file", {@code source} its path) or a network block device
     * ({@code type} "network", {@code protocol} e.g. iscsi, {@code source} the target/LUN, {@code hosts}
     * host:port entries). {@code format}: raw or qcow2.
     */
    public record Disk(String type, String source, String format, String protocol, List<String> hosts,
            boolean readOnly, Auth auth) {
        public Disk(String type, String source, String format, String protocol, List<String> hosts,
                boolean readOnly) {
            this(type, source, format, protocol, hosts, readOnly, null);
        }

        public static Disk file(String path, String format, boolean readOnly) {
            return new Disk("file", path, format, null, List.of(), readOnly, null);
        }

        /** An iSCSI LUN: {@code source} is {@code IQN/LUN}, {@code hosts} the portals as {@code host:port}. */
        public static Disk iscsi(String iqnAndLun, List<String> portals, Auth auth) {
            return new Disk("network", iqnAndLun, "raw", "iscsi", portals, false, auth);
        }
    }

    /**
     * CHAP credentials for a network disk; the driver keeps the secret in the hypervisor's secret store (libvirt
     * secret with usage {@code usage}), never in the domain XML.
     */
    public record Auth(String username, String secret, String usage) {
        @Override
        public String toString() {
            return "Auth[username=" + username + ", usage=" + usage + "]";
        }
    }

    /** A NIC on a host bridge, with its MAC. */
    public record NicSpec(String mac, String bridge, String model) {
    }
}
