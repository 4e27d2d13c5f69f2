package org.widecloud.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.MobilityBackend;
import org.widecloud.api.store.CloudStore;

@Component(service = NetworkService.class, configurationPid = CoreConfig.PID)
public class NetworkServiceImpl implements NetworkService {
    /** A network that only exists on its hosts' bridges, with no mobility backend. */
    public static final String PLAIN = "bridge";

    private final CloudStore store;
    private final Audit audit;
    private final DriverRegistry drivers;
    private final Settings settings;

    @Activate
    public NetworkServiceImpl(@Reference CloudStore store, @Reference Audit audit, @Reference DriverRegistry drivers,
            CoreConfig config) {
        this(store, audit, drivers, Settings.from(config));
    }

    public NetworkServiceImpl(CloudStore store, Audit audit, DriverRegistry drivers, Settings settings) {
        this.store = store;
        this.audit = audit;
        this.drivers = drivers;
        this.settings = settings;
    }

    @Override
    public Network create(String user, Requests.NetworkCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        Cidr v4 = r.ipv4Prefix() == null ? null : Cidr.parse("ipv4Prefix", r.ipv4Prefix(), false);
        Cidr v6 = r.ipv6Prefix() == null ? null : Cidr.parse("ipv6Prefix", r.ipv6Prefix(), true);
        String mobility = r.mobility() == null ? PLAIN : Names.type("mobility", r.mobility());
        String bridge = r.bridge() == null ? settings.defaultBridge() : Names.bridge("bridge", r.bridge());
        Map<String, String> parameters = parameters(r.parameters());
        if (!PLAIN.equals(mobility)) {
            MobilityBackend backend = drivers.findMobility(mobility)
                    .orElseThrow(() -> new DriverMissingException("mobility", mobility));
            validate(backend, v4 == null ? null : v4.toString(), v6 == null ? null : v6.toString(), parameters);
        } else if (!parameters.isEmpty()) {
            throw new ValidationException("parameters", "a plain bridged network takes no parameters");
        }
        if (store.networkByName(name).isPresent()) {
            throw new ConflictException("name", "a network named '" + name + "' exists already");
        }
        checkNoOverlap(v4, v6);
        Network n = new Network(UUID.randomUUID().toString(), name, v4 == null ? null : v4.toString(),
                v6 == null ? null : v6.toString(), mobility, bridge, parameters, Instant.now(), 0);
        StoreErrors.run("network", () -> store.insertNetwork(n));
        audit.record(user, "network.create", "network", n.id(), name + " " + n.ipv4Prefix() + " " + n.ipv6Prefix());
        return n;
    }

    /** A backend's {@link ValidationException} names its own field; anything else is reported on parameters. */
    private static void validate(MobilityBackend backend, String v4, String v6, Map<String, String> parameters) {
        try {
            backend.validate(v4, v6, parameters);
        } catch (DriverException | IllegalArgumentException e) {
            throw new ValidationException("parameters", e.getMessage());
        }
    }

    @Override
    public List<MobilityBinding> bindings(String ref) {
        Network n = get(ref);
        if (PLAIN.equals(n.mobility())) {
            return List.of();
        }
        MobilityBackend backend = drivers.findMobility(n.mobility())
                .orElseThrow(() -> new DriverMissingException("mobility", n.mobility()));
        try {
            return backend.bindings(NetworkMobility.attachment(n, null, null));
        } catch (DriverException e) {
            throw new BackendException("reading the bindings of network '" + n.name() + "' failed: "
                    + e.getMessage(), e);
        }
    }

    private void checkNoOverlap(Cidr v4, Cidr v6) {
        for (Network other : store.networks(PageRequest.all()).items()) {
            if (v4 != null && other.ipv4Prefix() != null && v4.overlaps(Cidr.parse("ipv4Prefix", other.ipv4Prefix(), false))) {
                throw new ValidationException("ipv4Prefix", v4 + " overlaps network '" + other.name() + "' ("
                        + other.ipv4Prefix() + ")");
            }
            if (v6 != null && other.ipv6Prefix() != null && v6.overlaps(Cidr.parse("ipv6Prefix", other.ipv6Prefix(), true))) {
                throw new ValidationException("ipv6Prefix", v6 + " overlaps network '" + other.name() + "' ("
                        + other.ipv6Prefix() + ")");
            }
        }
    }

    private static Map<String, String> parameters(Map<String, String> given) {
        Map<String, String> p = new LinkedHashMap<>();
        if (given == null) {
            return p;
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey();
            if (key == null || !key.matches("[a-zA-Z][a-zA-Z0-9._-]{0,63}")) {
                throw new ValidationException("parameters", "'" + Names.printable(String.valueOf(key))
                        + "' is not a parameter name");
            }
            p.put(key, Names.text("parameters." + key, Names.required("parameters." + key, e.getValue()), 1024));
        }
        return p;
    }

    @Override
    public Network get(String ref) {
        return Refs.path("network", ref, store::network, store::networkByName);
    }

    @Override
    public Page<Network> list(PageRequest page) {
        return store.networks(page);
    }

    @Override
    public Network update(String user, String ref, Requests.NetworkUpdate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Network n = get(ref);
        StoreErrors.expectVersion("network", r.version(), n.version());
        String name = r.name() == null ? n.name() : Names.name("name", r.name());
        if (!name.equals(n.name()) && store.networkByName(name).isPresent()) {
            throw new ConflictException("name", "a network named '" + name + "' exists already");
        }
        String bridge = r.bridge() == null ? n.bridge() : Names.bridge("bridge", r.bridge());
        Map<String, String> parameters = r.parameters() == null ? n.parameters() : parameters(r.parameters());
        boolean inUse = store.countVms(new CloudStore.VmFilter(null, n.id(), null, null)) > 0;
        if (inUse && (!bridge.equals(n.bridge()) || !parameters.equals(n.parameters()))) {
            throw new ConflictException("bridge", "network '" + n.name()
                    + "' is used by VMs; its bridge and parameters cannot change under them");
        }
        if (!PLAIN.equals(n.mobility()) && r.parameters() != null) {
            MobilityBackend backend = drivers.findMobility(n.mobility())
                    .orElseThrow(() -> new DriverMissingException("mobility", n.mobility()));
            validate(backend, n.ipv4Prefix(), n.ipv6Prefix(), parameters);
        }
        Network updated = StoreErrors.translate("network", () -> store.updateNetwork(new Network(n.id(), name,
                n.ipv4Prefix(), n.ipv6Prefix(), n.mobility(), bridge, parameters, n.created(), n.version())));
        audit.record(user, "network.update", "network", n.id(), name);
        return updated;
    }

    @Override
    public void delete(String user, String ref) {
        Network n = get(ref);
        long vms = store.countVms(new CloudStore.VmFilter(null, n.id(), null, null));
        if (vms > 0) {
            throw new ConflictException("network", "network '" + n.name() + "' is used by " + vms + " VM(s)");
        }
        store.deleteNetwork(n.id());
        audit.record(user, "network.delete", "network", n.id(), n.name());
    }
}
