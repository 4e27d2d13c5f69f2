package com.example.widecloud.driver.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.widecloud.api.model.HostFacts;
import org.widecloud.api.spi.DomainEventListener;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;

/**
 * A vendor's hypervisor driver in its smallest form: hosts are {@code sample://<name>} URIs whose VMs live in
 * this bundle's memory. It shows what a driver bundle needs (a DS component registering
 * {@link HypervisorDriver} with {@code hypervisor=<type>}) and passes widecloud's driver TCK.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.TYPE_PROPERTY + "=" + SampleDriver.TYPE)
public class SampleDriver implements HypervisorDriver {
    public static final String TYPE = "sample";
    private static final long HOST_MEMORY_MIB = 8192;

    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sample-driver-events");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public HostFacts facts(HostEndpoint host) {
        Host h = host(host);
        long used;
        synchronized (h) {
            used = h.vms.values().stream().filter(v -> v.state == DomainState.RUNNING).mapToLong(v -> v.memoryMiB)
                    .sum();
        }
        return new HostFacts(host.uri().substring("sample://".length()), 4, HOST_MEMORY_MIB, HOST_MEMORY_MIB - used,
                "sample", "1.0.0");
    }

    @Override
    public void define(HostEndpoint host, VmSpec spec) {
        validate(spec);
        Host h = host(host);
        synchronized (h) {
            if (h.vms.containsKey(spec.id())) {
                throw new DriverException("define vm '" + spec.name() + "': a vm with id " + spec.id()
                        + " exists already on " + host.uri(), null);
            }
            if (h.vms.values().stream().anyMatch(v -> v.name.equals(spec.name()))) {
                throw new DriverException("define vm '" + spec.name() + "': a vm named '" + spec.name()
                        + "' exists already on " + host.uri(), null);
            }
            h.vms.put(spec.id(), new Vm(spec.name(), spec.memoryMiB()));
        }
        emit(host, spec.id(), DomainState.SHUTOFF, "defined");
    }

    @Override
    public void start(HostEndpoint host, String vmId) {
        if (set(host, vmId, "start", DomainState.RUNNING)) {
            emit(host, vmId, DomainState.RUNNING, "started");
        }
    }

    @Override
    public boolean shutdown(HostEndpoint host, String vmId, Duration timeout) {
        if (set(host, vmId, "shut down", DomainState.SHUTOFF)) {
            emit(host, vmId, DomainState.SHUTOFF, "shutdown");
        }
        return true; // in-memory guests always comply at once
    }

    @Override
    public void reboot(HostEndpoint host, String vmId) {
        Host h = host(host);
        synchronized (h) {
            if (require(h, host, vmId, "reboot").state != DomainState.RUNNING) {
                throw new DriverException("reboot vm " + vmId + " on " + host.uri() + ": it is not running", null);
            }
        }
        emit(host, vmId, DomainState.RUNNING, "rebooted");
    }

    @Override
    public void destroy(HostEndpoint host, String vmId) {
        if (set(host, vmId, "destroy", DomainState.SHUTOFF)) {
            emit(host, vmId, DomainState.SHUTOFF, "destroyed");
        }
    }

    @Override
    public void undefine(HostEndpoint host, String vmId) {
        if (host(host).vms.remove(vmId) != null) {
            emit(host, vmId, DomainState.MISSING, "undefined");
        }
    }

    @Override
    public DomainState state(HostEndpoint host, String vmId) {
        Vm vm = host(host).vms.get(vmId);
        return vm == null ? DomainState.MISSING : vm.state;
    }

    @Override
    public Map<String, DomainState> states(HostEndpoint host) {
        Map<String, DomainState> all = new LinkedHashMap<>();
        host(host).vms.forEach((id, vm) -> all.put(id, vm.state));
        return all;
    }

    @Override
    public void addListener(HostEndpoint host, DomainEventListener listener) {
        host(host).listeners.add(new Subscription(host.hostId(), listener));
    }

    @Override
    public void removeListener(HostEndpoint host, DomainEventListener listener) {
        host(host).listeners.removeIf(s -> s.listener.equals(listener));
    }

    @Override
    public void disconnect(HostEndpoint host) {
        // nothing to close: the "host" is this bundle's memory
    }

    @Deactivate
    void deactivate() {
        events.shutdownNow();
    }

    /** Changes the state; true when it changed. */
    private boolean set(HostEndpoint host, String vmId, String what, DomainState to) {
        Host h = host(host);
        synchronized (h) {
            Vm vm = require(h, host, vmId, what);
            if (vm.state == to) {
                return false;
            }
            vm.state = to;
            return true;
        }
    }

    private static Vm require(Host h, HostEndpoint host, String vmId, String what) {
        Vm vm = vmId == null ? null : h.vms.get(vmId);
        if (vm == null) {
            throw new DriverException(what + " vm " + vmId + ": no such vm on " + host.uri(), null);
        }
        return vm;
    }

    private Host host(HostEndpoint host) {
        if (host == null || host.uri() == null || !host.uri().startsWith("sample://")
                || host.uri().length() == "sample://".length()) {
            throw new DriverException("host.uri: the sample driver serves sample://<name> URIs, not "
                    + (host == null ? null : host.uri()), null);
        }
        return hosts.computeIfAbsent(host.uri(), u -> new Host());
    }

    private void emit(HostEndpoint host, String vmId, DomainState state, String detail) {
        for (Subscription s : host(host).listeners) {
            events.execute(() -> s.listener.onEvent(s.hostId, vmId, state, detail));
        }
    }

    private static void validate(VmSpec spec) {
        if (spec == null) {
            throw new DriverException("spec: is required", null);
        }
        try {
            if (spec.id() == null || !UUID.fromString(spec.id()).toString().equalsIgnoreCase(spec.id())) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new DriverException("id: '" + spec.id() + "' is not a UUID", null);
        }
        if (spec.name() == null || spec.name().isBlank()) {
            throw new DriverException("name: is required", null);
        }
        if (spec.vcpus() <= 0) {
            throw new DriverException("vcpus: must be positive, was " + spec.vcpus(), null);
        }
        if (spec.memoryMiB() <= 0) {
            throw new DriverException("memoryMiB: must be positive, was " + spec.memoryMiB(), null);
        }
    }

    private static final class Host {
        final Map<String, Vm> vms = new ConcurrentHashMap<>();
        final List<Subscription> listeners = new CopyOnWriteArrayList<>();
    }

    private static final class Vm {
        final String name;
        final long memoryMiB;
        volatile DomainState state = DomainState.SHUTOFF;

        Vm(String name, long memoryMiB) {
            this.name = name;
            this.memoryMiB = memoryMiB;
        }
    }

    private record Subscription(String hostId, DomainEventListener listener) {
    }
}
