package org.widecloud.mobility.vlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.CloudException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.SiteService;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutors;
import org.widecloud.api.spi.MobilityBackend;

/**
 * VLAN mobility: a network is a VLAN id, trunked to the sites named in its {@code uplink.<site>} parameters. A host
 * that runs VMs of the network gets {@code <uplink>.<vid>} plugged into the network's bridge; the last VM leaving
 * takes both away again (only what this backend made: its devices carry the alias {@code widecloud-vlan-<vid>}).
 *
 * <p>A migration needs the VLAN at the target before the VM moves ({@link #prepare} = attach there). The switch
 * itself is the VM's: after a live migration QEMU broadcasts RARP frames from each NIC's MAC (its self-announce),
 * which teaches every bridge and switch on the VLAN where the MAC is now; so {@link #commit} changes nothing on the
 * hosts. {@link #rollback} undoes prepare; {@link #release} runs at the source when its last VM of the network left.
 *
 * <p>A host's site comes from core's {@link HostService} (host id to site id) and {@link SiteService} (site id to
 * name, since uplinks may name a site either way).
 */
@Component(service = MobilityBackend.class, property = MobilityBackend.TYPE_PROPERTY + "=" + VlanBackend.TYPE)
public class VlanBackend implements MobilityBackend {
    public static final String TYPE = "vlan";
    private static final Logger LOG = LoggerFactory.getLogger(VlanBackend.class);

    private final HostExecutors executors;
    /** One lock per network and host: attach and release of one host never interleave. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ExecutorService parallel = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "widecloud-vlan");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HostService hosts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile SiteService sites;

    @Activate
    public VlanBackend(@Reference HostExecutors executors) {
        this.executors = executors;
    }

    /** For plain-object use (tests, other components). */
    public VlanBackend(HostExecutors executors, HostService hosts, SiteService sites) {
        this(executors);
        this.hosts = hosts;
        this.sites = sites;
    }

    @Deactivate
    void deactivate() {
        parallel.shutdownNow();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        VlanParameters.parse(parameters);
    }

    /** True only for sites with an uplink: elsewhere the VLAN is not trunked. */
    @Override
    public boolean canExtendTo(NetworkAttachment network, String siteId) {
        return VlanParameters.parse(network.parameters()).uplinkFor(siteId, siteName(siteId)) != null;
    }

    @Override
    public void attach(NetworkAttachment network, HostEndpoint host) {
        OnHost o = onHost(network, host);
        synchronized (lock(network, host)) {
            vlanHost(host).ensure(o.p(), o.uplink(), o.bridge());
        }
    }

    @Override
    public void prepare(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        attach(network, target);
    }

    /** Nothing to do on the hosts: QEMU's RARP announce after the migration moves the MAC on the VLAN. */
    @Override
    public void commit(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        LOG.debug("vlan: commit of vm {} to {}: QEMU's announce moves its MAC", network.vmId(), target.hostName());
    }

    /** The target's side goes when no VM of the network is left there (another VM may have made it before). */
    @Override
    public void rollback(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        release(network, target);
    }

    @Override
    public void release(NetworkAttachment network, HostEndpoint host) {
        OnHost o = onHost(network, host);
        synchronized (lock(network, host)) {
            if (!vlanHost(host).remove(o.p(), o.uplink(), o.bridge())) {
                LOG.info("vlan: {} on {}: kept (other ports in {} or not made by widecloud)",
                        VlanParameters.device(o.uplink(), o.p().vid()), host.hostName(), o.bridge());
            }
        }
    }

    /**
     * One binding per host that carries the VLAN (key {@code vlan <vid>}, location the device), read from the hosts
     * with an executor in the sites that have an uplink, all at once. Empty without core's HostService.
     */
    @Override
    public List<MobilityBinding> bindings(NetworkAttachment network) {
        VlanParameters p = VlanParameters.parse(network.parameters());
        HostService hs = hosts;
        if (hs == null) {
            return List.of();
        }
        Map<Host, CompletableFuture<VlanHost.Carried>> reads = new LinkedHashMap<>();
        for (Host h : Page.all(page -> hs.list(page, null))) {
            String uplink = p.uplinkFor(h.site(), siteName(h.site()));
            if (uplink == null || h.executor() == null || h.executor().isBlank()) {
                continue;
            }
            HostEndpoint ep = HostEndpoint.of(h);
            reads.put(h, CompletableFuture.supplyAsync(() -> vlanHost(ep).read(p, uplink), parallel));
        }
        List<MobilityBinding> out = new ArrayList<>();
        for (Map.Entry<Host, CompletableFuture<VlanHost.Carried>> e : reads.entrySet()) {
            Host h = e.getKey();
            VlanHost.Carried c;
            try {
                c = e.getValue().join();
            } catch (RuntimeException ex) {
                LOG.warn("vlan: cannot read {} on {}: {}", network.networkName(), h.name(), ex.getMessage());
                continue;
            }
            if (c == null) {
                continue;
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("vid", String.valueOf(p.vid()));
            details.put("uplink", c.uplink());
            details.put("bridge", c.bridge() == null ? "" : c.bridge());
            details.put("state", c.state());
            details.put("site", Objects.requireNonNullElse(siteName(h.site()), h.site()));
            details.put("managed", String.valueOf(c.ours()));
            out.add(new MobilityBinding(network.networkId(), "vlan " + p.vid(), c.device(), h.id(), null, null,
                    details));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** What a network needs on one host: its parameters, bridge and the uplink of the host's site. */
    private record OnHost(VlanParameters p, String bridge, String uplink) {
    }

    private OnHost onHost(NetworkAttachment network, HostEndpoint host) {
        VlanParameters p = VlanParameters.parse(network.parameters());
        return new OnHost(p, VlanParameters.bridge(network.bridge()), uplinkOf(p, host, network));
    }

    private VlanHost vlanHost(HostEndpoint host) {
        Objects.requireNonNull(host, "host");
        return new VlanHost(host, executors.forHost(host));
    }

    private Object lock(NetworkAttachment network, HostEndpoint host) {
        return locks.computeIfAbsent(network.networkId() + "@" + host.hostId(), k -> new Object());
    }

    /** The uplink of the host's site; refused when the VLAN is not trunked there. */
    private String uplinkOf(VlanParameters p, HostEndpoint host, NetworkAttachment network) {
        HostService hs = hosts;
        if (hs == null) {
            throw new DriverException("vlan: cannot tell the site of host " + host.hostName() + " (core's "
                    + "HostService is not available)", null);
        }
        String siteId;
        try {
            siteId = hs.get(host.hostId()).site();
        } catch (CloudException e) {
            throw new DriverException("vlan: cannot tell the site of host " + host.hostName() + ": "
                    + e.getMessage(), e);
        }
        String name = siteName(siteId);
        String uplink = p.uplinkFor(siteId, name);
        if (uplink == null) {
            throw new DriverException("vlan: network " + network.networkName() + " has no uplink for site "
                    + (name == null ? siteId : name) + " of host " + host.hostName() + " (VLAN " + p.vid()
                    + " is trunked at " + p.uplinks().keySet() + ")", null);
        }
        return uplink;
    }

    private String siteName(String siteId) {
        SiteService ss = sites;
        if (ss == null || siteId == null) {
            return null;
        }
        try {
            return ss.get(siteId).name();
        } catch (RuntimeException e) {
            LOG.debug("vlan: site {} unknown: {}", siteId, e.toString());
            return null;
        }
    }

}
