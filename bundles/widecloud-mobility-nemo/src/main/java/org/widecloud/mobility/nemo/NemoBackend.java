package org.widecloud.mobility.nemo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutors;
import org.widecloud.api.spi.MobilityBackend;

/**
 * NEMO basic support (RFC 3963; IPv4 prefixes per RFC 5555) with Linux ip6tnl tunnels and policy routing, as UMIP
 * sets them up. The network's prefixes are the mobile network prefixes; the host running its VMs is the mobile
 * router (care-of address = the host's IPv6 underlay address); the home agent routes the prefixes into a tunnel to
 * the current care-of address. A migration's commit is the binding update: one command at the home agent that
 * points the tunnel at the target. A network moves as a whole ({@link #movesWholeNetwork()}).
 *
 * <p>The binding is renewed every lifetime/2 by re-asserting the tunnel's remote at the home agent (which also
 * rebuilds a home agent side that vanished, e.g. after a reboot of the home agent).
 */
@Component(service = MobilityBackend.class, property = MobilityBackend.TYPE_PROPERTY + "=" + NemoBackend.TYPE)
public class NemoBackend implements MobilityBackend {
    public static final String TYPE = "nemo";
    private static final Logger LOG = LoggerFactory.getLogger(NemoBackend.class);

    private final HostExecutors executors;
    private final Clock clock;
    private final Map<String, BindingState> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "widecloud-nemo-renewal");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HostService hosts;

    /** To refuse a home agent address another nemo network already uses (optional: without core, not checked). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile NetworkService networks;

    @Activate
    public NemoBackend(@Reference HostExecutors executors) {
        this(executors, null, null, Clock.systemUTC());
    }

    /** For plain-object use (tests, other components); {@code hosts} and {@code networks} may be null. */
    public NemoBackend(HostExecutors executors, HostService hosts, NetworkService networks) {
        this(executors, hosts, networks, Clock.systemUTC());
    }

    NemoBackend(HostExecutors executors, HostService hosts, NetworkService networks, Clock clock) {
        this.executors = Objects.requireNonNull(executors, "executors");
        this.hosts = hosts;
        this.networks = networks;
        this.clock = clock;
    }

    @Deactivate
    void deactivate() {
        renewals.shutdownNow();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        NemoParameters.parse(parameters, null, null, false);
    }

    @Override
    public void validate(String ipv4Prefix, String ipv6Prefix, Map<String, String> parameters) {
        Prefix v4 = prefix("ipv4Prefix", ipv4Prefix, false);
        Prefix v6 = prefix("ipv6Prefix", ipv6Prefix, true);
        NemoParameters p = NemoParameters.parse(parameters, v4, v6, true);
        refuseSharedHomeAgentAddress(p, v4, v6);
    }

    /** A network moves as a whole: the home agent binds its prefixes, not single addresses, to one care-of address. */
    @Override
    public boolean movesWholeNetwork() {
        return true;
    }

    /**
     * True when the site has a host with an IPv6 underlay address (a possible care-of address) and an executor.
     * Without {@link HostService} (core not there) the backend cannot see hosts and says true.
     */
    @Override
    public boolean canExtendTo(NetworkAttachment network, String siteId) {
        HostService hs = hosts;
        if (hs == null) {
            return true;
        }
        try {
            return Page.all(page -> hs.list(page, siteId)).stream().anyMatch(h -> Prefix.ipv6(h.address()) != null
                    && h.executor() != null && !h.executor().isBlank());
        } catch (RuntimeException e) {
            LOG.warn("nemo: cannot list the hosts of site {}: {}", siteId, e.toString());
            return false;
        }
    }

    /** The host becomes the network's mobile router and the home agent's binding points at it. */
    @Override
    public void attach(NetworkAttachment network, HostEndpoint host) {
        Net n = Net.of(network);
        String coa = careOf(n, host);
        setUp(n, host, coa, coa, "attach on " + host.hostName());
    }

    /**
     * Everything but the binding update, so that commit is one command: the target's mobile router side, and a
     * complete home agent side still pointing at the source.
     */
    @Override
    public void prepare(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        Net n = Net.of(network);
        String from = careOf(n, source);
        setUp(n, target, careOf(n, target), from, "prepare of " + target.hostName());
    }

    /** The binding update: the home agent's tunnel points at the target's care-of address. */
    @Override
    public void commit(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        Net n = Net.of(network);
        String to = careOf(n, target);
        bind(n, to, "commit to " + target.hostName());
    }

    /** The binding goes back to the source (core then releases the target). */
    @Override
    public void rollback(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        Net n = Net.of(network);
        String back = careOf(n, source);
        bind(n, back, "rollback to " + source.hostName());
    }

    /**
     * The network's last VM left the host: its mobile router side goes. When the home agent still points at this
     * host (the network's VMs stopped rather than moved), the binding is removed there too (deregistration).
     */
    @Override
    public void release(NetworkAttachment network, HostEndpoint host) {
        Net n = Net.of(network);
        String coa = careOf(n, host);
        BindingState s = state(n);
        synchronized (s) {
            router(n, host, coa).remove();
            HomeAgent ha = homeAgent(n);
            Link t = ha.tunnel();
            if (t != null && t.ip6tnl() && coa.equals(t.remote())) {
                ha.remove();
                s.cancelRenewal();
                s.careOf = null;
                s.since = null;
                s.renewed = null;
                LOG.info("nemo: network {} deregistered at the home agent ({} released)", n.name(), host.hostName());
            }
        }
    }

    /** Per mobile network prefix, what the home agent does with it now, read from the home agent. */
    @Override
    public List<MobilityBinding> bindings(NetworkAttachment network) {
        Net n = Net.of(network);
        BindingState s = state(n);
        HomeAgent ha = homeAgent(n);
        Link t = ha.tunnel();
        if (t != null && !t.ip6tnl()) {
            t = null;
        }
        Instant since;
        Instant expires;
        synchronized (s) {
            if (s.careOf == null && t != null && t.remote() != null && Tunnel.since(t) != null) {
                // After a restart: the binding the home agent holds is adopted, with the start kept in its
                // tunnel's alias, and renewed from now on.
                bound(s, t.remote(), Tunnel.since(t), "read back from the home agent");
            }
            boolean ours = t != null && t.remote() != null && t.remote().equals(s.careOf);
            since = ours ? s.since : null;
            expires = ours ? s.expires() : null;
        }
        String host = t == null ? null : hostAt(t.remote());
        List<MobilityBinding> out = new ArrayList<>();
        for (Prefix p : n.prefixes()) {
            boolean routed = t != null && ha.routes(p).contains("\"dst\":\"" + p + "\"");
            String state = !routed ? "not-bound" : expires != null && clock.instant().isAfter(expires) ? "expired"
                    : "bound";
            Map<String, String> details = new LinkedHashMap<>();
            details.put("homeAgent", n.p().haAddress());
            details.put("tunnel", n.tunnel());
            details.put("mode", t == null || t.mode() == null ? n.p().mode().word() : t.mode());
            details.put("mtu", Integer.toString(t == null ? n.p().mtu() : t.mtu()));
            details.put("lifetime", Integer.toString(n.p().lifetime()));
            details.put("state", state);
            out.add(new MobilityBinding(n.id(), p.toString(), routed ? t.remote() : null, routed ? host : null,
                    routed ? since : null, routed ? expires : null, details));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The mobile router side on {@code host} and a complete home agent side bound to {@code boundTo}. */
    private void setUp(Net n, HostEndpoint host, String careOf, String boundTo, String what) {
        BindingState s = state(n);
        synchronized (s) {
            router(n, host, careOf).ensure();
            Instant since = sinceFor(s, boundTo);
            homeAgent(n).ensure(boundTo, since);
            bound(s, boundTo, since, what);
        }
    }

    /** The one-command binding update, with a full rebuild of the home agent side if that command failed. */
    private void bind(Net n, String careOf, String what) {
        BindingState s = state(n);
        synchronized (s) {
            HomeAgent ha = homeAgent(n);
            long start = System.nanoTime();
            Instant since = sinceFor(s, careOf);
            if (!ha.bind(careOf, since)) {
                LOG.warn("nemo: network {}: binding update failed at the home agent, rebuilding its side", n.name());
                ha.ensure(careOf, since);
            }
            LOG.info("nemo: network {} bound to {} ({}) in {} ms", n.name(), careOf, what,
                    (System.nanoTime() - start) / 1_000_000);
            bound(s, careOf, since, what);
        }
    }

    /** When a binding to {@code careOf} began: kept while it stays there, now when it moves. */
    private Instant sinceFor(BindingState s, String careOf) {
        return careOf.equals(s.careOf) && s.since != null ? s.since : clock.instant();
    }

    /** Records the binding (caller holds the state's monitor) and schedules its renewal every lifetime/2. */
    private void bound(BindingState s, String careOf, Instant since, String what) {
        Instant now = clock.instant();
        s.since = since;
        s.careOf = careOf;
        s.renewed = now;
        s.cancelRenewal();
        long half = Math.max(1, s.net.p().lifetime() / 2);
        String id = s.net.id();
        try {
            s.renewal = renewals.scheduleAtFixedRate(() -> renew(id), half, half, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("nemo: network {}: no renewal scheduled ({}): the backend is stopping", s.net.name(), what);
        }
    }

    /** Re-asserts the binding at the home agent and moves its expiry on. */
    void renew(String networkId) {
        BindingState s = states.get(networkId);
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (s.careOf == null) {
                return;
            }
            try {
                HomeAgent ha = homeAgent(s.net);
                if (!ha.bind(s.careOf, s.since)) {
                    ha.ensure(s.careOf, s.since);
                }
                s.renewed = clock.instant();
            } catch (RuntimeException e) {
                LOG.warn("nemo: network {}: renewing the binding to {} failed (expires {}): {}", s.net.name(),
                        s.careOf, s.expires(), e.getMessage());
            }
        }
    }

    /** The scheduled renewal of a network (tests). */
    ScheduledFuture<?> renewal(String networkId) {
        BindingState s = states.get(networkId);
        synchronized (Objects.requireNonNull(s, networkId)) {
            return s.renewal;
        }
    }

    private BindingState state(Net n) {
        BindingState s = states.computeIfAbsent(n.id(), k -> new BindingState());
        synchronized (s) {
            s.net = n; // parameters may have changed since (lifetime)
        }
        return s;
    }

    private MobileRouter router(Net n, HostEndpoint host, String careOf) {
        return new MobileRouter(new Commands(host.hostName() + " (mobile router)", executors.forHost(host)), n, careOf);
    }

    private HomeAgent homeAgent(Net n) {
        HostEndpoint ep = new HostEndpoint("home-agent", "home agent " + n.p().haAddress(), null, n.p().haAddress(),
                n.p().haExecutor());
        return new HomeAgent(new Commands("home agent " + n.p().haAddress(), executors.forHost(ep)), n);
    }

    /** The host's IPv6 underlay address: its care-of address. */
    private static String careOf(Net n, HostEndpoint host) {
        Objects.requireNonNull(host, "host");
        String coa = Prefix.ipv6(host.address());
        if (coa == null) {
            throw new DriverException("host '" + host.hostName() + "': address '" + host.address() + "' is not an "
                    + "IPv6 address; nemo needs the host's IPv6 underlay address as its care-of address", null);
        }
        if (coa.equals(n.p().haAddress()) || n.v6() != null && n.v6().contains(Prefix.literal(coa))) {
            throw new DriverException("host '" + host.hostName() + "': care-of address " + coa + " is the home "
                    + "agent's address or lies inside the mobile network prefix of network '" + n.name() + "'", null);
        }
        return coa;
    }

    private static Prefix prefix(String field, String cidr, boolean v6) {
        try {
            Prefix p = Prefix.parse(cidr);
            if (p != null && p.ipv6() != v6) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IPv" + (v6 ? 6 : 4) + " prefix");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, e.getMessage());
        }
    }

    /**
     * Two ip6 tunnels cannot share local and remote: on a mobile router every nemo network's tunnel starts at the
     * same care-of address, so each network needs its own home agent address. The network being validated is the
     * one with the same prefixes (core refuses overlapping prefixes between networks), so an update is not refused.
     */
    private void refuseSharedHomeAgentAddress(NemoParameters p, Prefix v4, Prefix v6) {
        NetworkService ns = networks;
        if (ns == null) {
            return;
        }
        for (Network other : Page.all(ns::list)) {
            if (!TYPE.equals(other.mobility()) || same(other.ipv4Prefix(), v4) && same(other.ipv6Prefix(), v6)) {
                continue;
            }
            String theirs = Prefix.ipv6(other.parameters().get("ha.address"));
            if (p.haAddress().equals(theirs)) {
                throw NemoParameters.wrong("ha.address", p.haAddress() + " is already the home agent address of "
                        + "network '" + other.name() + "': two ip6 tunnels cannot share their ends, so every nemo "
                        + "network needs its own home agent address");
            }
        }
    }

    private static boolean same(String cidr, Prefix p) {
        if (cidr == null || p == null) {
            return cidr == null && p == null;
        }
        try {
            return p.toString().equals(Prefix.parse(cidr).toString());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The id of the widecloud host whose underlay address is {@code address}; null when none or unknown. */
    private String hostAt(String address) {
        HostService hs = hosts;
        if (hs == null || address == null) {
            return null;
        }
        try {
            return Page.all(page -> hs.list(page, null)).stream().filter(h -> address.equals(Prefix.ipv6(h.address())))
                    .map(Host::id).findFirst().orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("nemo: cannot list hosts: {}", e.toString());
            return null;
        }
    }
}
