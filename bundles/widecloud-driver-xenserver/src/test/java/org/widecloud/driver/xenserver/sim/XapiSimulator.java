package org.widecloud.driver.xenserver.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.widecloud.driver.xenserver.xapi.XmlRpc;

/**
 * An XAPI simulator: a real XML-RPC server over HTTP(S) on 127.0.0.1 (a free port) that keeps the state of one
 * pool (hosts with metrics, networks, PIFs, an SR with VDIs, VMs, VBDs, VIFs, tasks, sessions, an event
 * generation counter) and answers with XAPI's method names, record fields and error codes. It exists because no
 * XenServer host can run on the build machines; the driver is tested against it over the wire.
 *
 * <p>Like XAPI it wraps every answer in {@code {Status, Value}} or {@code {Status: Failure, ErrorDescription}},
 * marshals int64 fields as strings, checks sessions on every call, and long-polls in {@code event.from}. Test
 * hooks: {@link #invalidateSessions()} (session expiry), {@link #guestIgnoresShutdown}, {@link #haltBehindBack},
 * {@link #failNext}. Two simulators in one JVM are two pools: {@code VM.migrate_send} moves a VM between them.
 * For integration tests that run in another JVM: a GET on {@code /sim/vms} lists the VMs as text, a POST on
 * {@code /sim/halt/WIDECLOUD-ID} powers a guest off behind the controller's back.
 */
public final class XapiSimulator implements AutoCloseable {
    /** Simulators of this JVM by their base URL: the destination of a cross-pool migration is found here. */
    private static final Map<String, XapiSimulator> POOLS = new ConcurrentHashMap<>();

    static {
        // The JDK's HTTP server leaves Nagle on by default: every small answer then waits ~40 ms for the client's
        // delayed ACK. Read once, when its configuration class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final ScheduledExecutorService clock;
    private final String base;
    private final SimState state;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private XapiSimulator(boolean https, String poolName, String user, String password, List<String> hosts)
            throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (https) {
            HttpsServer s = HttpsServer.create(at, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(SimCerts.serverContext()));
            server = s;
        } else {
            server = HttpServer.create(at, 0);
        }
        threads = Executors.newCachedThreadPool(r -> daemon(r, "xapi-sim-" + poolName));
        clock = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "xapi-sim-tasks-" + poolName));
        server.setExecutor(threads);
        base = (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/";
        state = new SimState(this, poolName, user, password, hosts, clock);
        server.createContext("/", this::handle);
        server.start();
        POOLS.put(base, this);
    }

    /** Starts a pool simulator with the given hosts (the first is the master), over HTTPS with {@link SimCerts}. */
    public static XapiSimulator start(String poolName, String user, String password, String... hosts) {
        return start(true, poolName, user, password, hosts);
    }

    public static XapiSimulator start(boolean https, String poolName, String user, String password,
            String... hosts) {
        try {
            return new XapiSimulator(https, poolName, user, password, List.of(hosts));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the XAPI simulator", e);
        }
    }

    static XapiSimulator byBase(String url) {
        return POOLS.get(url);
    }

    /** {@code https://127.0.0.1:PORT/}. */
    public String url() {
        return base;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    SimState state() {
        return state;
    }

    // ------------------------------------------------------------------ test hooks

    /** Every session becomes invalid, as after a session timeout or a toolstack restart. */
    public void invalidateSessions() {
        state.invalidateSessions();
    }

    /** Adds a network on a bridge to every host of the pool; returns its uuid. */
    public String addNetwork(String name, String bridge) {
        return state.addNetwork(name, bridge);
    }

    /** Adds a VDI of the pool's default SR; returns its uuid. */
    public String addVdi(String name, long sizeBytes) {
        return state.addVdi(name, sizeBytes);
    }

    /** The guest of this VM (widecloud id) ignores ACPI shutdown requests: a clean shutdown never finishes. */
    public void guestIgnoresShutdown(String widecloudId) {
        state.ignoreShutdown(widecloudId);
    }

    /** The guest powers itself off (as from inside it); XAPI notices and emits an event. */
    public void haltBehindBack(String widecloudId) {
        state.haltBehindBack(widecloudId);
    }

    /** The guest powers itself off and the pool's event queue forgets everything until now (EVENTS_LOST). */
    public void haltAndLoseEvents(String widecloudId) {
        state.haltAndLoseEvents(widecloudId);
    }

    /** The next call of {@code method} fails with this error description. */
    public void failNext(String method, String... errorDescription) {
        state.failNext(method, List.of(errorDescription));
    }

    /** The VM's record (a copy), found by widecloud id. */
    public Optional<Map<String, Object>> vm(String widecloudId) {
        return state.vmByWidecloudId(widecloudId);
    }

    /** {@code Running}, {@code Halted}, ... or {@code absent}. */
    public String powerState(String widecloudId) {
        return vm(widecloudId).map(r -> String.valueOf(r.get("power_state"))).orElse("absent");
    }

    /** The name label of the host the VM runs on, or "" when it runs nowhere or does not exist. */
    public String residentHost(String widecloudId) {
        return state.residentHostName(widecloudId);
    }

    /** The VBD and VIF records of a VM (copies). */
    public List<Map<String, Object>> devices(String widecloudId, String cls) {
        return state.devices(widecloudId, cls);
    }

    public int logins() {
        return count("session.login_with_password");
    }

    public int count(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    public int sessions() {
        return state.sessionCount();
    }

    /** Stops answering; a later client sees connection refused. */
    @Override
    public void close() {
        POOLS.remove(base);
        server.stop(0);
        state.wakeAll();
        threads.shutdownNow();
        clock.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if ("GET".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().equals("/sim/vms")) {
                reply(ex, 200, "text/plain", state.vmListing().getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if ("POST".equals(ex.getRequestMethod()) && path.startsWith("/sim/halt/")) {
                state.haltBehindBack(path.substring("/sim/halt/".length()));
                reply(ex, 200, "text/plain", state.vmListing().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, "text/plain", "XML-RPC takes POST\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map.Entry<String, List<Object>> call;
            try {
                call = XmlRpc.parseCall(body);
            } catch (IllegalArgumentException e) {
                reply(ex, 400, "text/plain", ("malformed XML-RPC: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            calls.computeIfAbsent(call.getKey(), k -> new AtomicInteger()).incrementAndGet();
            Map<String, Object> answer = new LinkedHashMap<>();
            try {
                Object value = state.dispatch(call.getKey(), new ArrayList<>(call.getValue()));
                answer.put("Status", "Success");
                answer.put("Value", value == null ? "" : value);
            } catch (SimState.Failure f) {
                answer.put("Status", "Failure");
                answer.put("ErrorDescription", f.description);
            } catch (RuntimeException e) {
                answer.put("Status", "Failure");
                answer.put("ErrorDescription", List.of("INTERNAL_ERROR", String.valueOf(e)));
            }
            reply(ex, 200, "text/xml", XmlRpc.response(answer));
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Sleeps of the simulated guest actions, kept short so tests run fast. */
    static final long STEP_MS = 30;

    static void schedule(ScheduledExecutorService clock, Runnable r, long delayMs) {
        clock.schedule(r, delayMs, TimeUnit.MILLISECONDS);
    }
}
