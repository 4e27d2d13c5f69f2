package org.widecloud.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.SiteState;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.store.CloudStore;

/**
 * Chooses the host of a new VM: the one the caller names, or among the UP hosts (of the named site, or of
 * every active site) whose driver is installed and that have room, the one with the most free memory.
 */
final class Placement {
    private final CloudStore store;
    private final DriverRegistry drivers;

    Placement(CloudStore store, DriverRegistry drivers) {
        this.store = store;
        this.drivers = drivers;
    }

    /** A constraint on the host beyond room: says why a host cannot take the VM, or null. */
    interface HostRule {
        HostRule NONE = h -> null;

        String refusal(Host h);
    }

    Host place(String hostRef, String siteRef, int vcpus, long memoryMiB) {
        return place(hostRef, siteRef, vcpus, memoryMiB, HostRule.NONE);
    }

    Host place(String hostRef, String siteRef, int vcpus, long memoryMiB, HostRule rule) {
        if (hostRef != null) {
            Host h = Refs.field("host", "host", hostRef, store::host, store::hostByName);
            if (siteRef != null) {
                Site s = Refs.field("site", "site", siteRef, store::site, store::siteByName);
                if (!s.id().equals(h.site())) {
                    throw new ValidationException("host", "host '" + h.name() + "' is not in site '" + s.name() + "'");
                }
            }
            drivers.hypervisor(h.driver());
            if (h.state() != HostState.UP) {
                throw new ConflictException("host", "host '" + h.name() + "' is " + h.state()
                        + (h.stateReason() == null ? "" : " (" + h.stateReason() + ")"));
            }
            checkFits(h, vcpus, memoryMiB, "host");
            String refused = rule.refusal(h);
            if (refused != null) {
                throw new ConflictException("host", refused);
            }
            return h;
        }
        String siteId = null;
        String where = "any active site";
        if (siteRef != null) {
            Site s = Refs.field("site", "site", siteRef, store::site, store::siteByName);
            siteId = s.id();
            where = "site '" + s.name() + "'";
            if (s.state() != SiteState.ACTIVE) {
                throw new ConflictException("site", "site '" + s.name() + "' is in " + s.state());
            }
        }
        List<Host> hosts = store.hosts(PageRequest.all(), siteId).items();
        Optional<Host> best = hosts.stream()
                .filter(h -> h.state() == HostState.UP)
                .filter(h -> drivers.findHypervisor(h.driver()).isPresent())
                .filter(h -> siteRef != null || store.site(h.site()).map(s -> s.state() == SiteState.ACTIVE).orElse(false))
                .filter(h -> h.cpus() >= vcpus && free(h) >= memoryMiB)
                .max(Comparator.comparingLong(this::free));
        if (best.isPresent() && rule.refusal(best.get()) == null) {
            return best.get();
        }
        Optional<Host> allowed = hosts.stream()
                .filter(h -> h.state() == HostState.UP)
                .filter(h -> drivers.findHypervisor(h.driver()).isPresent())
                .filter(h -> siteRef != null || store.site(h.site()).map(s -> s.state() == SiteState.ACTIVE).orElse(false))
                .filter(h -> h.cpus() >= vcpus && free(h) >= memoryMiB)
                .filter(h -> rule.refusal(h) == null)
                .max(Comparator.comparingLong(this::free));
        if (allowed.isPresent()) {
            return allowed.get();
        }
        if (best.isPresent()) {
            throw new ConflictException("nics", "no host in " + where + " suits the vm's networks: "
                    + rule.refusal(best.get()));
        }
        if (hosts.stream().noneMatch(h -> drivers.findHypervisor(h.driver()).isPresent()) && !hosts.isEmpty()) {
            throw new DriverMissingException("hypervisor", hosts.get(0).driver());
        }
        throw new ConflictException(siteRef != null ? "site" : "memoryMiB", "no UP host in " + where + " has room for "
                + vcpus + " vcpus and " + memoryMiB + " MiB");
    }

    long free(Host h) {
        return h.memoryMiB() - store.allocatedOn(h.id())[1];
    }

    void checkFits(Host h, int vcpus, long memoryMiB, String field) {
        if (h.cpus() > 0 && vcpus > h.cpus()) {
            throw new ValidationException("vcpus", vcpus + " exceeds the " + h.cpus() + " cpus of host '" + h.name() + "'");
        }
        if (h.memoryMiB() > 0 && memoryMiB > h.memoryMiB()) {
            throw new ValidationException("memoryMiB",
                    memoryMiB + " MiB exceeds the " + h.memoryMiB() + " MiB of host '" + h.name() + "'");
        }
        long free = free(h);
        if (h.memoryMiB() > 0 && memoryMiB > free) {
            throw new ConflictException("memoryMiB", "host '" + h.name() + "' has " + Math.max(0, free)
                    + " MiB unallocated, " + memoryMiB + " MiB asked");
        }
    }
}
