package org.widecloud.driver.xenserver;

import static org.widecloud.driver.xenserver.Fields.isNull;
import static org.widecloud.driver.xenserver.Fields.map;
import static org.widecloud.driver.xenserver.Fields.str;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.spi.DomainEventListener;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.driver.xenserver.xapi.XapiClient;
import org.widecloud.driver.xenserver.xapi.XapiErrors;
import org.widecloud.driver.xenserver.xapi.XapiException;

/**
 * Everything the driver keeps per pool master and user: the XAPI client (one session), where each widecloud VM
 * is, the XAPI host refs of the widecloud hosts, and the {@code event.from} thread that feeds the listeners of
 * every widecloud host of this pool.
 *
 * <p>widecloud VMs are found by {@code other_config:widecloud_id}, since XAPI chooses VM uuids itself; the
 * ref found is cached and checked (one cheap call) before use. A VM widecloud did not create is found by its
 * XAPI uuid.
 */
final class PoolConnection implements AutoCloseable {
    static final String WIDECLOUD_ID = "widecloud_id";
    private static final Logger LOG = LoggerFactory.getLogger(PoolConnection.class);
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final XapiClient client;
    private final Duration eventWait;
    private final Map<String, String> refById = new ConcurrentHashMap<>();
    private final Map<String, String> hostRefs = new ConcurrentHashMap<>();
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
    /** What the event thread last saw per VM ref: id, where, state (to route "del" events and skip repeats). */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private Thread events;
    private volatile CountDownLatch stop;
    /** Counted down once the event thread has read its first batch. */
    private volatile CountDownLatch primed = new CountDownLatch(1);

    PoolConnection(XapiClient client, Duration eventWait) {
        this.client = client;
        this.eventWait = eventWait;
    }

    XapiClient client() {
        return client;
    }

    Object call(String method, Object... args) {
        return client.call(method, args);
    }

    // ------------------------------------------------------------------ lookups

    /** The ref of the VM with this widecloud id (or XAPI uuid), or null. */
    String findVm(String vmId) {
        String cached = refById.get(vmId);
        if (cached != null) {
            try {
                Map<String, Object> oc = map(call("VM.get_other_config", cached));
                if (vmId.equals(oc.get(WIDECLOUD_ID))) {
                    return cached;
                }
            } catch (XapiException e) {
                if (!e.is(XapiErrors.HANDLE_INVALID)) {
                    throw e;
                }
            }
            refById.remove(vmId, cached);
        }
        for (Map.Entry<String, Object> e : map(call("VM.get_all_records")).entrySet()) {
            Map<String, Object> r = map(e.getValue());
            if (isGuest(r)) {
                String id = str(map(r, "other_config"), WIDECLOUD_ID);
                if (!id.isEmpty()) {
                    refById.put(id, e.getKey());
                }
            }
        }
        String ref = refById.get(vmId);
        if (ref == null && UUID.matcher(vmId).matches()) {
            try {
                String byUuid = String.valueOf(call("VM.get_by_uuid", vmId));
                Map<String, Object> r = map(call("VM.get_record", byUuid));
                return isGuest(r) ? byUuid : null;
            } catch (XapiException e) {
                if (!e.is(XapiErrors.UUID_INVALID) && !e.is(XapiErrors.HANDLE_INVALID)) {
                    throw e;
                }
            }
        }
        return ref;
    }

    void remember(String vmId, String ref) {
        refById.put(vmId, ref);
    }

    void forget(String vmId) {
        refById.remove(vmId);
    }

    /** The XAPI host a selector names (uuid, name label or hostname), or null for the whole pool. */
    String hostRef(String selector, String shownUri) {
        if (selector == null) {
            return null;
        }
        String cached = hostRefs.get(selector);
        if (cached != null) {
            return cached;
        }
        List<String> names = new ArrayList<>();
        for (Object ref : Fields.list(call("host.get_all"))) {
            Map<String, Object> r = map(call("host.get_record", ref));
            if (selector.equals(str(r, "uuid")) || selector.equals(str(r, "name_label"))
                    || selector.equals(str(r, "hostname"))) {
                hostRefs.put(selector, String.valueOf(ref));
                return String.valueOf(ref);
            }
            names.add(str(r, "name_label"));
        }
        throw new org.widecloud.api.spi.DriverException("host.uri: the pool at " + shownUri + " has no host '"
                + selector + "' (its hosts: " + String.join(", ", names) + ")", null);
    }

    /** The pool master's host ref. */
    String master() {
        List<?> pools = Fields.list(call("pool.get_all"));
        if (pools.isEmpty()) {
            throw new org.widecloud.api.spi.DriverException(client.shown() + " reports no pool", null);
        }
        return String.valueOf(call("pool.get_master", pools.get(0)));
    }

    String poolUuid() {
        List<?> pools = Fields.list(call("pool.get_all"));
        return pools.isEmpty() ? "" : String.valueOf(call("pool.get_uuid", pools.get(0)));
    }

    static boolean isUuid(String s) {
        return s != null && UUID.matcher(s).matches();
    }

    /** A VM record widecloud treats as a guest: no template, snapshot or control domain. */
    static boolean isGuest(Map<String, Object> r) {
        return !Fields.bool(r, "is_a_template") && !Fields.bool(r, "is_control_domain")
                && !Fields.bool(r, "is_a_snapshot");
    }

    /** The id widecloud knows a VM by: its widecloud id, or its XAPI uuid when widecloud did not make it. */
    static String idOf(Map<String, Object> r) {
        String id = str(map(r, "other_config"), WIDECLOUD_ID);
        return id.isEmpty() ? str(r, "uuid") : id;
    }

    /** Whether a VM record belongs to the widecloud host standing for {@code hostRef} (null: the whole pool). */
    static boolean on(Map<String, Object> r, String hostRef) {
        if (hostRef == null) {
            return true;
        }
        String resident = str(r, "resident_on");
        return isNull(resident) ? hostRef.equals(str(r, "affinity")) : hostRef.equals(resident);
    }

    // ------------------------------------------------------------------ events

    void subscribe(HostEndpoint endpoint, String hostRef, DomainEventListener listener) {
        CountDownLatch ready;
        synchronized (this) {
            subscriptions.add(new Subscription(endpoint, endpoint.hostId(), hostRef, listener));
            if (events == null) {
                CountDownLatch s = new CountDownLatch(1);
                stop = s;
                primed = new CountDownLatch(1);
                events = new Thread(() -> pump(s), "widecloud-xenserver-events " + client.shown());
                events.setDaemon(true);
                events.start();
            }
            ready = primed;
        }
        // The first event.from batch only records what exists: a change made before it is read would pass
        // unheard. Returning once it is read means every change after subscribe reaches the listener.
        try {
            if (!ready.await(eventWait.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("events from {}: the first batch is late; changes made now may pass unheard", client.shown());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void unsubscribe(String hostId, DomainEventListener listener) {
        subscriptions.removeIf(s -> s.hostId().equals(hostId) && s.listener().equals(listener));
        if (subscriptions.isEmpty()) {
            stopEvents();
        }
    }

    synchronized boolean hasSubscribers() {
        return !subscriptions.isEmpty();
    }

    /** Who listens, by endpoint (to subscribe them again on a new connection). */
    synchronized List<Map.Entry<HostEndpoint, DomainEventListener>> listeners() {
        List<Map.Entry<HostEndpoint, DomainEventListener>> out = new ArrayList<>();
        subscriptions.forEach(s -> out.add(Map.entry(s.endpoint(), s.listener())));
        return out;
    }

    private synchronized void stopEvents() {
        if (events != null) {
            stop.countDown();
            events.interrupt();
            events = null;
        }
    }

    /** The event loop: {@code event.from} on class vm, long-polling; survives session loss and network errors. */
    private void pump(CountDownLatch stopped) {
        String token = "";
        boolean first = true;
        long backoffMs = 500;
        while (stopped.getCount() > 0) {
            try {
                double wait = token.isEmpty() ? 0.0 : eventWait.toMillis() / 1000.0;
                Map<String, Object> batch = map(client.call(eventWait.plusSeconds(30), "event.from", List.of("vm"),
                        token, wait));
                boolean dump = token.isEmpty();
                token = str(batch, "token");
                List<?> evs = Fields.list(batch.get("events"));
                if (dump && !first) {
                    resync(evs);
                } else {
                    for (Object ev : evs) {
                        handle(map(ev), dump);
                    }
                }
                first = false;
                primed.countDown();
                backoffMs = 500;
            } catch (XapiException e) {
                if (e.is(XapiErrors.EVENTS_LOST) || e.code().startsWith("EVENT_FROM_TOKEN")) {
                    LOG.info("events from {}: {}; starting over", client.shown(), e.getMessage());
                    token = "";
                    continue;
                }
                backoffMs = pause(stopped, backoffMs, e.getMessage());
            } catch (RuntimeException e) {
                if (stopped.getCount() == 0) {
                    return;
                }
                backoffMs = pause(stopped, backoffMs, e.getMessage());
            }
        }
    }

    private long pause(CountDownLatch stopped, long backoffMs, String why) {
        LOG.warn("events from {} failed ({}); retrying in {} ms", client.shown(), why, backoffMs);
        try {
            stopped.await(backoffMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
        return Math.min(backoffMs * 2, 10_000);
    }

    /**
     * One VM event. The first batch (token "") only records what exists; afterwards a listener hears of a VM
     * when its state changes, and of its removal.
     */
    private void handle(Map<String, Object> ev, boolean initial) {
        if (!"vm".equalsIgnoreCase(str(ev, "class"))) {
            return;
        }
        String ref = str(ev, "ref");
        String op = str(ev, "operation");
        Seen before = seen.get(ref);
        Seen now;
        if ("del".equals(op)) {
            if (before == null) {
                return;
            }
            seen.remove(ref);
            refById.remove(before.vmId(), ref);
            now = new Seen(before.vmId(), before.record(), DomainState.MISSING);
        } else {
            Map<String, Object> r = map(ev.get("snapshot"));
            if (r.isEmpty() || !isGuest(r)) {
                return;
            }
            now = new Seen(idOf(r), r, PowerStates.of(str(r, "power_state")));
            seen.put(ref, now);
            if (!str(map(r, "other_config"), WIDECLOUD_ID).isEmpty()) {
                refById.put(now.vmId(), ref);
            }
            if (initial || (before != null && before.state() == now.state()
                    && str(before.record(), "resident_on").equals(str(r, "resident_on"))
                    && str(before.record(), "affinity").equals(str(r, "affinity")))) {
                return; // a change of some other field
            }
        }
        String detail = "xapi " + op + " " + (now.state() == DomainState.MISSING ? "destroyed"
                : str(now.record(), "power_state"));
        for (Subscription s : subscriptions) {
            if (on(now.record(), s.hostRef()) || (before != null && on(before.record(), s.hostRef()))) {
                try {
                    s.listener().onEvent(s.hostId(), now.vmId(), now.state(), detail);
                } catch (RuntimeException e) {
                    LOG.warn("domain event listener failed for vm {}: {}", now.vmId(), e.toString());
                }
            }
        }
    }

    /**
     * After lost events: the full list of VMs replaces what was seen; listeners hear of every state that changed
     * meanwhile and of every VM that went away.
     */
    private void resync(List<?> dump) {
        Set<String> present = new java.util.HashSet<>();
        for (Object ev : dump) {
            Map<String, Object> e = map(ev);
            present.add(str(e, "ref"));
            e.put("operation", "mod");
            handle(e, false);
        }
        for (String ref : List.copyOf(seen.keySet())) {
            if (!present.contains(ref)) {
                handle(Map.of("class", "vm", "ref", ref, "operation", "del"), false);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            subscriptions.clear();
            stopEvents();
        }
        client.close();
    }

    private record Subscription(HostEndpoint endpoint, String hostId, String hostRef, DomainEventListener listener) {
    }

    private record Seen(String vmId, Map<String, Object> record, DomainState state) {
    }
}
