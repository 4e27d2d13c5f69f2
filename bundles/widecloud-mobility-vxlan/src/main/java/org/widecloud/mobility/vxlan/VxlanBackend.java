package org.widecloud.mobility.vxlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

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
import org.widecloud.api.service.HostService;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;
import org.widecloud.api.spi.HostExecutors;
import org.widecloud.api.spi.MobilityBackend;

/**
 * VXLAN mobility: a network is a VNI; every host that carries it has a VXLAN device {@code vx<vni>} with its
 * underlay address as VTEP, plugged into the network's bridge. No multicast and no learning over the underlay: the
 * controller writes the FDB of every carrier: one flood entry per other carrier, and one entry per VM MAC pointing
 * at the VTEP where the VM runs. A migration moves that MAC entry with one command per carrier, run in parallel.
 *
 * <p>Which hosts carry a network is kept in memory and read back from the hosts after a restart (their flood
 * lists); endpoints of hosts known only by address are found through {@link HostService} when core provides it.
 */
@Component(service = MobilityBackend.class, property = MobilityBackend.TYPE_PROPERTY + "=" + VxlanBackend.TYPE)
public class VxlanBackend implements MobilityBackend {
    public static final String TYPE = "vxlan";
    private static final Logger LOG = LoggerFactory.getLogger(VxlanBackend.class);
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private final HostExecutors executors;
    private final Map<String, NetworkState> networks = new ConcurrentHashMap<>();
    private final ExecutorService parallel = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "widecloud-vxlan");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HostService hosts;

    @Activate
    public VxlanBackend(@Reference HostExecutors executors) {
        this.executors = executors;
    }

    /** For plain-object use (tests, other components); {@code hosts} may be null. */
    public VxlanBackend(HostExecutors executors, HostService hosts) {
        this(executors);
        this.hosts = hosts;
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
        VxlanParameters.parse(parameters);
    }

    /**
     * True when the site has a host with an underlay address and an executor. Without {@link HostService} (core not
     * there) the backend cannot see hosts and says true: attach then fails on a host without address.
     */
    @Override
    public boolean canExtendTo(NetworkAttachment network, String siteId) {
        HostService hs = hosts;
        if (hs == null) {
            return true;
        }
        try {
            return Page.all(page -> hs.list(page, siteId)).stream().anyMatch(h -> Addresses.canonical(h.address()) != null
                    && h.executor() != null && !h.executor().isBlank());
        } catch (RuntimeException e) {
            LOG.warn("vxlan: cannot list the hosts of site {}: {}", siteId, e.toString());
            return false;
        }
    }

    @Override
    public void attach(NetworkAttachment network, HostEndpoint host) {
        Net n = net(network);
        VtepHost h = vtep(host);
        synchronized (n.state) {
            load(n, List.of(h));
            joinHome(n, h.address());
            join(n, h);
            n.state.joinedFor.remove(h.address());
            String mac = mac(network);
            if (mac != null) {
                pointEverywhere(n, mac, h, "attach of vm " + network.vmId());
            }
        }
    }

    /** Makes sure the target carries the network, with the flood and MAC entries it needs, before the VM moves. */
    @Override
    public void prepare(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        Net n = net(network);
        VtepHost src = vtep(source);
        VtepHost dst = vtep(target);
        synchronized (n.state) {
            load(n, List.of(src, dst));
            joinHome(n, dst.address());
            n.state.carriers.put(src.address(), source);
            boolean wasCarrier = n.state.carriers.containsKey(dst.address());
            join(n, dst);
            if (!wasCarrier) {
                n.state.joinedFor.put(dst.address(), network.vmId());
            } else if (!Objects.equals(n.state.joinedFor.get(dst.address()), network.vmId())) {
                // a second VM heads for the host too: rollback of either must not take it away
                n.state.joinedFor.remove(dst.address());
            }
        }
    }

    /** Points the VM's MAC at the target's VTEP on every carrier: one command per host, all hosts at once. */
    @Override
    public void commit(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        Net n = net(network);
        String mac = mac(network);
        if (mac == null) {
            return;
        }
        VtepHost dst = vtep(target);
        synchronized (n.state) {
            // after a controller restart (recovery commits) the carriers are read back first, as prepare does
            load(n, List.of(vtep(source), dst));
            n.state.carriers.putIfAbsent(dst.address(), target);
            n.state.joinedFor.remove(dst.address());
            pointEverywhere(n, mac, dst, "commit of vm " + network.vmId() + " to " + target.hostName());
        }
    }

    @Override
    public void rollback(NetworkAttachment network, HostEndpoint source, HostEndpoint target) {
        Net n = net(network);
        String mac = mac(network);
        VtepHost src = vtep(source);
        VtepHost dst = vtep(target);
        synchronized (n.state) {
            load(n, List.of(src, dst));
            n.state.carriers.putIfAbsent(src.address(), source);
            if (mac != null) {
                pointEverywhere(n, mac, src, "rollback of vm " + network.vmId() + " to " + source.hostName());
            }
            // Core releases the source after a migration but nothing after a rollback: what prepare made only
            // for this VM goes here.
            if (network.vmId() != null && network.vmId().equals(n.state.joinedFor.get(dst.address()))
                    && !n.p.home().contains(dst.address())) {
                n.state.joinedFor.remove(dst.address());
                leave(n, dst, network.networkName());
            }
        }
    }

    /** The last VM of the network left the host: its device goes, and the other carriers stop flooding to it. */
    @Override
    public void release(NetworkAttachment network, HostEndpoint host) {
        Net n = net(network);
        VtepHost h = vtep(host);
        synchronized (n.state) {
            load(n, List.of(h));
            n.state.joinedFor.remove(h.address());
            if (n.p.home().contains(h.address())) {
                return; // the network's home keeps it, VMs or not
            }
            leave(n, h, network.networkName());
        }
    }

    /** The network's home hosts carry it whenever any host does (found by address through HostService). */
    private void joinHome(Net n, String except) {
        for (String home : n.p.home()) {
            if (home.equals(except) || n.state.carriers.get(home) != null) {
                continue;
            }
            HostEndpoint ep = lookup(home);
            if (ep == null) {
                throw new DriverException("network home " + home + ": no host with that underlay address and an "
                        + "executor is registered", null);
            }
            join(n, vtep(ep));
        }
    }

    private void leave(Net n, VtepHost h, String networkName) {
        h.remove(n.p, n.bridge);
        n.state.carriers.remove(h.address());
        List<String> gone = n.state.macAt.entrySet().stream().filter(e -> e.getValue().equals(h.address()))
                .map(Map.Entry::getKey).toList();
        gone.forEach(n.state.macAt::remove);
        Map<VtepHost, List<List<String>>> work = new LinkedHashMap<>();
        for (VtepHost o : others(n, h.address())) {
            List<List<String>> cmds = new ArrayList<>();
            cmds.add(VtepHost.delFlood(n.p, h.address()));
            gone.forEach(mac -> cmds.add(VtepHost.delMac(n.p, mac)));
            work.put(o, cmds);
        }
        runEverywhere(work, true, "release of " + networkName + " on " + h);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * One binding per host carrying the network (key {@code vni N}, location its VTEP) and one per VM MAC (key the
     * MAC, location the VTEP it is reached at), from the backend's state, read back from the hosts after a restart.
     */
    @Override
    public List<MobilityBinding> bindings(NetworkAttachment network) {
        Net n = net(network);
        List<MobilityBinding> out = new ArrayList<>();
        synchronized (n.state) {
            load(n, List.of());
            Map<String, String> details = Map.of("vni", String.valueOf(n.p().vni()), "bridge", n.bridge());
            for (Map.Entry<String, HostEndpoint> c : n.state.carriers.entrySet()) {
                out.add(new MobilityBinding(network.networkId(), "vni " + n.p().vni(), c.getKey(),
                        c.getValue() == null ? null : c.getValue().hostId(), null, null, details));
            }
            n.state.macAt.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                HostEndpoint at = n.state.carriers.get(e.getValue());
                out.add(new MobilityBinding(network.networkId(), e.getKey(), e.getValue(),
                        at == null ? null : at.hostId(), null, null, details));
            });
        }
        return out;
    }

    private record Net(String id, VxlanParameters p, String bridge, NetworkState state) {
    }

    private Net net(NetworkAttachment a) {
        Objects.requireNonNull(a, "network");
        VxlanParameters p = VxlanParameters.parse(a.parameters());
        return new Net(a.networkId(), p, VtepHost.bridge(a.bridge()),
                networks.computeIfAbsent(a.networkId(), k -> new NetworkState()));
    }

    private VtepHost vtep(HostEndpoint h) {
        Objects.requireNonNull(h, "host");
        return new VtepHost(h, executors.forHost(h));
    }

    private static String mac(NetworkAttachment a) {
        if (a.mac() == null) {
            return null;
        }
        String mac = a.mac().strip().toLowerCase(Locale.ROOT);
        if (!MAC.matcher(mac).matches()) {
            throw new DriverException("mac '" + a.mac() + "' of vm " + a.vmId() + " is not a MAC address", null);
        }
        return mac;
    }

    /**
     * After a restart, reads the network back from the hosts: the first contact host that carries it tells the
     * other carriers (its flood list) and where each VM MAC is (its MAC entries). When none of them carries it and
     * core's HostService is there, every host with an executor is asked.
     */
    private void load(Net n, List<VtepHost> contacts) {
        NetworkState s = n.state;
        if (s.derived) {
            return;
        }
        s.derived = true;
        if (!s.carriers.isEmpty()) {
            return;
        }
        for (VtepHost c : contacts) {
            Fdb fdb = readBack(n, c);
            if (fdb != null) {
                learn(n, c, fdb);
                return;
            }
        }
        HostService hs = hosts;
        if (hs == null) {
            return;
        }
        List<VtepHost> all = new ArrayList<>();
        try {
            for (Host host : Page.all(page -> hs.list(page, null))) {
                if (Addresses.canonical(host.address()) != null && host.executor() != null) {
                    all.add(vtep(HostEndpoint.of(host)));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("vxlan: cannot list hosts to find the carriers of network {}: {}", n.id(), e.toString());
            return;
        }
        // All at once: an unreachable host costs one connect timeout, not one per host.
        List<CompletableFuture<Fdb>> probes = new ArrayList<>();
        for (VtepHost c : all) {
            probes.add(CompletableFuture.supplyAsync(() -> readBack(n, c), parallel));
        }
        for (int i = 0; i < all.size(); i++) {
            Fdb fdb = probes.get(i).join();
            if (fdb != null) {
                learn(n, all.get(i), fdb);
            }
        }
    }

    /** The host's FDB when it carries the network; null when it does not or cannot be asked. */
    private Fdb readBack(Net n, VtepHost c) {
        try {
            return c.carries(n.p) ? c.fdb(n.p) : null;
        } catch (RuntimeException e) {
            LOG.warn("vxlan: cannot read network {} from {}: {}", n.id(), c, e.getMessage());
            return null;
        }
    }

    private static void learn(Net n, VtepHost c, Fdb fdb) {
        NetworkState s = n.state;
        s.carriers.put(c.address(), c.endpoint());
        fdb.flood().forEach(a -> s.carriers.putIfAbsent(a, null));
        fdb.macs().forEach(s.macAt::putIfAbsent);
        LOG.info("vxlan: network {} read back from {}: carriers {}", n.id(), c, s.carriers.keySet());
    }

    /** Device and bridge on h, h's flood list, h in every other carrier's flood list, known VM MACs on h. */
    private void join(Net n, VtepHost h) {
        h.ensure(n.p, n.bridge);
        n.state.carriers.put(h.address(), h.endpoint());
        Fdb fdb = h.fdb(n.p);
        for (String other : n.state.carriers.keySet()) {
            if (!other.equals(h.address()) && !fdb.flood().contains(other)) {
                h.check(VtepHost.addFlood(n.p, other));
            }
        }
        for (Map.Entry<String, String> e : n.state.macAt.entrySet()) {
            String at = e.getValue();
            if (!at.equals(h.address()) && !at.equals(fdb.macs().get(e.getKey()))) {
                h.check(VtepHost.pointMac(n.p, e.getKey(), at));
            }
        }
        Map<VtepHost, List<List<String>>> work = new LinkedHashMap<>();
        for (VtepHost o : others(n, h.address())) {
            work.put(o, List.of(VtepHost.addFlood(n.p, h.address())));
        }
        runEverywhere(work, true, "flood entries for " + h);
    }

    /** MAC is behind {@code at}: every other carrier points it there, {@code at} forgets any remote entry. */
    private void pointEverywhere(Net n, String mac, VtepHost at, String what) {
        Map<VtepHost, List<List<String>>> work = new LinkedHashMap<>();
        work.put(at, List.of(VtepHost.delMac(n.p, mac)));
        for (VtepHost o : others(n, at.address())) {
            work.put(o, List.of(VtepHost.pointMac(n.p, mac, at.address())));
        }
        runEverywhere(work, true, what);
        n.state.macAt.put(mac, at.address());
    }

    /** The other carriers this backend can reach; those known only by address are looked up in HostService. */
    private List<VtepHost> others(Net n, String except) {
        List<VtepHost> out = new ArrayList<>();
        for (Map.Entry<String, HostEndpoint> e : n.state.carriers.entrySet()) {
            if (e.getKey().equals(except)) {
                continue;
            }
            HostEndpoint ep = e.getValue() != null ? e.getValue() : lookup(e.getKey());
            if (ep == null) {
                LOG.warn("vxlan: network {}: no host with VTEP {} is known; its FDB is not updated", n.id(),
                        e.getKey());
                continue;
            }
            e.setValue(ep);
            out.add(vtep(ep));
        }
        return out;
    }

    private HostEndpoint lookup(String address) {
        HostService hs = hosts;
        if (hs == null) {
            return null;
        }
        try {
            return Page.all(page -> hs.list(page, null)).stream()
                    .filter(h -> address.equals(Addresses.canonical(h.address())) && h.executor() != null)
                    .findFirst().map(HostEndpoint::of).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("vxlan: cannot list hosts: {}", e.toString());
            return null;
        }
    }

    /**
     * Runs each host's commands (in order) with all hosts in parallel, so the switch takes one command's time
     * whatever the number of carriers. Deleting what is not there and adding what is already there count as done.
     * Fails after all ran, naming every host that failed.
     */
    private void runEverywhere(Map<VtepHost, List<List<String>>> work, boolean idempotent, String what) {
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (Map.Entry<VtepHost, List<List<String>>> e : work.entrySet()) {
            results.add(CompletableFuture.supplyAsync(() -> runAll(e.getKey(), e.getValue(), idempotent), parallel));
        }
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<String> f : results) {
            String failure = f.join();
            if (failure != null) {
                failures.add(failure);
            }
        }
        if (!failures.isEmpty()) {
            throw new DriverException("vxlan " + what + " failed on " + String.join("; ", failures), null);
        }
    }

    private static String runAll(VtepHost h, List<List<String>> cmds, boolean idempotent) {
        try {
            for (List<String> argv : cmds) {
                HostExecutor.Result r = h.run(argv);
                if (r.exitCode() != 0 && !(idempotent && alreadyDone(r.stderr()))) {
                    return h + ": " + String.join(" ", argv) + " exited " + r.exitCode() + ": " + r.stderr().strip();
                }
            }
            return null;
        } catch (RuntimeException e) {
            return h + ": " + e.getMessage();
        }
    }

    private static boolean alreadyDone(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        return s.contains("file exists") || s.contains("no such file or directory") || s.contains("cannot find device");
    }
}
