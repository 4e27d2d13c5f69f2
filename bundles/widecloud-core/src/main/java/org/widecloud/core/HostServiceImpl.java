package org.widecloud.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.store.CloudStore;

@Component(service = HostService.class)
public class HostServiceImpl implements HostService {
    private final CloudStore store;
    private final Audit audit;
    private final DriverRegistry drivers;
    private final Reconciler reconciler;

    @Activate
    public HostServiceImpl(@Reference CloudStore store, @Reference Audit audit, @Reference DriverRegistry drivers,
            @Reference Reconciler reconciler) {
        this.store = store;
        this.audit = audit;
        this.drivers = drivers;
        this.reconciler = reconciler;
    }

    @Override
    public Host create(String user, Requests.HostCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        Site site = Refs.field("site", "site", r.site(), store::site, store::siteByName);
        String driver = Names.type("driver", r.driver());
        String uri = uri(r.uri());
        if (store.hostByName(name).isPresent()) {
            throw new ConflictException("name", "a host named '" + name + "' exists already");
        }
        checkUriFree(uri, null);
        String address = r.address() == null ? null : address(r.address());
        String executor = r.executor() == null ? null : executor(r.executor());
        Host host = new Host(UUID.randomUUID().toString(), name, site.id(), driver, uri, HostState.NO_DRIVER, 0, 0,
                null, "no hypervisor driver '" + driver + "' installed", Instant.now(), 0, address, executor);
        Optional<HypervisorDriver> d = drivers.findHypervisor(driver);
        if (d.isPresent()) {
            host = host.withFacts(readFacts(d.get(), host));
        }
        Host stored = host;
        StoreErrors.run("host", () -> store.insertHost(stored));
        audit.record(user, "host.create", "host", host.id(), name + " " + driver + " " + uri);
        reconciler.reconcileLater(host.id());
        return host;
    }

    /** Connects and reads the facts; a host that cannot be reached is refused at registration. */
    private static HostFacts readFacts(HypervisorDriver d, Host host) {
        try {
            return d.facts(Endpoints.of(host));
        } catch (DriverException e) {
            throw new ConflictException("uri", "cannot connect to " + host.uri() + ": " + e.getMessage(), e);
        }
    }

    static String uri(String value) {
        String v = Names.text("uri", Names.required("uri", value), 1024).trim();
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !u.getScheme().matches("[a-z][a-z0-9+.-]*")) {
                throw new ValidationException("uri", "'" + Names.printable(v) + "' has no scheme (e.g. qemu:///system)");
            }
            // Host URIs are shown in the API and the audit log: a password in them would be shown to everyone.
            if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
                throw new ValidationException("uri", "must not carry a password; give credentials in the driver's "
                        + "configuration (etc/org.widecloud.driver.<type>.cfg)");
            }
        } catch (URISyntaxException e) {
            throw new ValidationException("uri", "'" + Names.printable(v) + "' is not a URI: " + e.getReason());
        }
        if (v.contains(" ") || v.contains("'") || v.contains("\"")) {
            throw new ValidationException("uri", "must not contain spaces or quotes");
        }
        return v;
    }

    /** An IPv4 or IPv6 literal: the host's underlay address. */
    static String address(String value) {
        return Cidr.canonicalAddress("address", value);
    }

    /** {@code local}, {@code netns:NAME} or {@code ssh://user@host[:port]}. */
    static String executor(String value) {
        String v = Names.required("executor", value).trim();
        if (v.equals("local")) {
            return v;
        }
        if (v.startsWith("netns:")) {
            Names.name("executor", v.substring("netns:".length()));
            return v;
        }
        if (v.startsWith("ssh://")) {
            try {
                URI u = new URI(v);
                if (u.getHost() == null || u.getUserInfo() == null || u.getUserInfo().contains(":")) {
                    throw new ValidationException("executor", "ssh executor is ssh://user@host[:port] (keys, no password)");
                }
                Names.name("executor", u.getUserInfo());
                return v;
            } catch (URISyntaxException e) {
                throw new ValidationException("executor", "'" + Names.printable(v) + "' is not a URI");
            }
        }
        throw new ValidationException("executor", "'" + Names.printable(v)
                + "' is not local, netns:NAME or ssh://user@host[:port]");
    }

    private void checkUriFree(String uri, String exceptHostId) {
        for (Host h : store.hosts(PageRequest.all(), null).items()) {
            if (h.uri().equals(uri) && !h.id().equals(exceptHostId)) {
                throw new ConflictException("uri", "host '" + h.name() + "' has the URI " + uri + " already");
            }
        }
    }

    @Override
    public Host get(String ref) {
        return Refs.path("host", ref, store::host, store::hostByName);
    }

    @Override
    public Page<Host> list(PageRequest page, String site) {
        String siteId = site == null ? null : Refs.field("site", "site", site, store::site, store::siteByName).id();
        return store.hosts(page, siteId);
    }

    @Override
    public Host update(String user, String ref, Requests.HostUpdate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Host h = get(ref);
        StoreErrors.expectVersion("host", r.version(), h.version());
        String name = r.name() == null ? h.name() : Names.name("name", r.name());
        if (!name.equals(h.name()) && store.hostByName(name).isPresent()) {
            throw new ConflictException("name", "a host named '" + name + "' exists already");
        }
        String uri = r.uri() == null ? h.uri() : uri(r.uri());
        if (!uri.equals(h.uri())) {
            checkUriFree(uri, h.id());
            if (store.countVms(CloudStore.VmFilter.onHost(h.id())) > 0) {
                throw new ConflictException("uri", "host '" + h.name() + "' has VMs; its URI cannot change under them");
            }
        }
        HostState state = h.state();
        String reason = h.stateReason();
        if (r.state() != null) {
            HostState wanted = Enums.parse("state", HostState.class, r.state());
            if (wanted != HostState.MAINTENANCE && wanted != HostState.UP) {
                throw new ValidationException("state", "an operator sets MAINTENANCE or UP; the rest is measured");
            }
            if (wanted == HostState.MAINTENANCE) {
                state = wanted;
                reason = "set by " + user;
            } else if (h.state() == HostState.MAINTENANCE) {
                // Leaving maintenance: the reconciler measures the real state next.
                state = HostState.DOWN;
                reason = "leaving maintenance; not yet re-read";
            }
        }
        String address = r.address() == null ? h.address() : address(r.address());
        String executor = r.executor() == null ? h.executor() : executor(r.executor());
        Host changed = new Host(h.id(), name, h.site(), h.driver(), uri, state, h.cpus(), h.memoryMiB(),
                h.hypervisorVersion(), reason, h.created(), h.version(), address, executor);
        Host updated = StoreErrors.translate("host", () -> store.updateHost(changed));
        if (!uri.equals(h.uri())) {
            drivers.findHypervisor(h.driver()).ifPresent(d -> d.disconnect(Endpoints.of(h)));
        }
        audit.record(user, "host.update", "host", h.id(), name);
        reconciler.reconcileLater(h.id());
        return updated;
    }

    @Override
    public void delete(String user, String ref) {
        Host h = get(ref);
        long vms = store.countVms(CloudStore.VmFilter.onHost(h.id()));
        if (vms > 0) {
            throw new ConflictException("host", "host '" + h.name() + "' still has " + vms
                    + " VM(s); delete or move them first");
        }
        long volumes = store.countVolumes(CloudStore.VolumeFilter.onHost(h.id()));
        if (volumes > 0) {
            throw new ConflictException("host", "host '" + h.name() + "' holds " + volumes
                    + " host-local volume(s); delete them first");
        }
        reconciler.forget(h);
        store.deleteHost(h.id());
        audit.record(user, "host.delete", "host", h.id(), h.name());
    }

    @Override
    public Host refresh(String user, String ref) {
        Host h = get(ref);
        reconciler.reconcileHost(h.id());
        return get(h.id());
    }
}
