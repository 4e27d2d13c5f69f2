package org.widecloud.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.widecloud.api.model.DriverInfo;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.DriverService;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.MobilityBackend;
import org.widecloud.api.spi.StorageBackend;

/**
 * The backends installed right now, tracked dynamically: a bundle that comes or goes changes what is
 * available without restarting anything. Listeners hear of hypervisor drivers coming and going (the
 * reconciler re-reads the hosts of that type).
 */
@Component(service = { DriverRegistry.class, DriverService.class })
public class DriverRegistry implements DriverService {

    /** Called when a hypervisor driver of a type appears ({@code added} true) or goes. */
    public interface Listener {
        void hypervisorChanged(String type, boolean added);

        /** A storage backend arrived or left (pools on it may need opening again: a restarted tgtd). */
        default void storageChanged(String type, boolean added) {
        }
    }

    private record Entry<T>(T backend, DriverInfo info) {
    }

    private final Map<String, Entry<HypervisorDriver>> hypervisors = new ConcurrentHashMap<>();
    private final Map<String, Entry<MobilityBackend>> mobility = new ConcurrentHashMap<>();
    private final Map<String, Entry<StorageBackend>> storage = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // --- OSGi wiring: greedy, dynamic, any number ---

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHypervisor(ServiceReference<HypervisorDriver> ref, HypervisorDriver driver) {
        addHypervisor(driver, bundleOf(ref));
    }

    void unbindHypervisor(HypervisorDriver driver) {
        removeHypervisor(driver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMobility(ServiceReference<MobilityBackend> ref, MobilityBackend backend) {
        mobility.put(backend.type(), new Entry<>(backend, info("mobility", backend.type(), bundleOf(ref))));
    }

    void unbindMobility(MobilityBackend backend) {
        mobility.values().removeIf(e -> e.backend() == backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(ServiceReference<StorageBackend> ref, StorageBackend backend) {
        storage.put(backend.type(), new Entry<>(backend, info("storage", backend.type(), bundleOf(ref))));
        listeners.forEach(l -> l.storageChanged(backend.type(), true));
    }

    void unbindStorage(StorageBackend backend) {
        storage.values().removeIf(e -> e.backend() == backend);
    }

    // --- plain Java (tests, and the OSGi methods above) ---

    /** {@code bundle} is [symbolic name, version] of the bundle that brings the driver. */
    public void addHypervisor(HypervisorDriver driver, String[] bundle) {
        hypervisors.put(driver.type(), new Entry<>(driver, info("hypervisor", driver.type(), bundle)));
        listeners.forEach(l -> l.hypervisorChanged(driver.type(), true));
    }

    public void removeHypervisor(HypervisorDriver driver) {
        String type = driver.type();
        Entry<HypervisorDriver> e = hypervisors.get(type);
        if (e != null && e.backend() == driver && hypervisors.remove(type, e)) {
            listeners.forEach(l -> l.hypervisorChanged(type, false));
        }
    }

    public void addMobility(MobilityBackend backend) {
        mobility.put(backend.type(), new Entry<>(backend, info("mobility", backend.type(), null)));
    }

    public void addStorage(StorageBackend backend) {
        storage.put(backend.type(), new Entry<>(backend, info("storage", backend.type(), null)));
        listeners.forEach(l -> l.storageChanged(backend.type(), true));
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** The driver of a type, or {@link DriverMissingException} naming it. */
    public HypervisorDriver hypervisor(String type) {
        return findHypervisor(type).orElseThrow(() -> new DriverMissingException("hypervisor", type));
    }

    public Optional<HypervisorDriver> findHypervisor(String type) {
        Entry<HypervisorDriver> e = hypervisors.get(type);
        return e == null ? Optional.empty() : Optional.of(e.backend());
    }

    public Optional<MobilityBackend> findMobility(String type) {
        Entry<MobilityBackend> e = mobility.get(type);
        return e == null ? Optional.empty() : Optional.of(e.backend());
    }

    public Optional<StorageBackend> findStorage(String type) {
        Entry<StorageBackend> e = storage.get(type);
        return e == null ? Optional.empty() : Optional.of(e.backend());
    }

    @Override
    public List<DriverInfo> list() {
        List<DriverInfo> all = new ArrayList<>();
        hypervisors.values().forEach(e -> all.add(e.info()));
        mobility.values().forEach(e -> all.add(e.info()));
        storage.values().forEach(e -> all.add(e.info()));
        all.sort(Comparator.comparing(DriverInfo::kind).thenComparing(DriverInfo::type));
        return all;
    }

    private static DriverInfo info(String kind, String type, String[] bundle) {
        return new DriverInfo(kind, type, bundle == null ? null : bundle[0], bundle == null ? null : bundle[1]);
    }

    private static String[] bundleOf(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? null : new String[] { b.getSymbolicName(), b.getVersion().toString() };
    }
}
