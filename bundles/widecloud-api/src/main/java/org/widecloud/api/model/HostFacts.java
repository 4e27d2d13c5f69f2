package org.widecloud.api.model;

/** What a driver reads from a host. */
public record HostFacts(String hostname, int cpus, long memoryMiB, long freeMemoryMiB, String hypervisor,
        String hypervisorVersion) {
}
