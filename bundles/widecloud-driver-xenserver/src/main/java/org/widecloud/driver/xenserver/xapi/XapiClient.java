package org.widecloud.driver.xenserver.xapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XAPI endpoint (a pool master) with one session: logs in on first use, keeps the session, and when a call
 * answers {@code SESSION_INVALID} logs in again and retries that call once. Thread-safe; calls run
 * concurrently. The password is only ever sent in {@code session.login_with_password}; it is never logged and
 * no message contains it.
 */
public final class XapiClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XapiClient.class);
    /** The API version widecloud speaks in the login (XenServer 7.1 and later accept it). */
    static final String API_VERSION = "2.6";
    static final String ORIGINATOR = "widecloud";
    private static final String NULL_SESSION = "OpaqueRef:NULL";

    private final URI endpoint;
    private final String shown;
    private final String user;
    private final char[] password;
    private final HttpClient http;
    private final Duration callTimeout;
    private final Object loginLock = new Object();
    private volatile String session;
    private long logins;

    /**
     * @param endpoint where XAPI listens ({@code https://host:port/})
     * @param shown the endpoint as messages show it (no password)
     */
    public XapiClient(URI endpoint, String shown, String user, char[] password, SSLContext tls,
            Duration connectTimeout, Duration callTimeout) {
        this.endpoint = endpoint;
        this.shown = shown;
        this.user = user;
        this.password = password.clone();
        this.callTimeout = callTimeout;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String shown() {
        return shown;
    }

    /** How many times this client logged in (tests watch reconnects). */
    public long logins() {
        synchronized (loginLock) {
            return logins;
        }
    }

    /** Calls {@code method(session, args...)}. */
    public Object call(String method, Object... args) {
        return call(callTimeout, method, args);
    }

    /** Calls {@code method(session, args...)} waiting at most {@code timeout} for the answer. */
    public Object call(Duration timeout, String method, Object... args) {
        String s = session();
        try {
            return invoke(timeout, method, withSession(s, args));
        } catch (XapiException e) {
            if (!e.is(XapiErrors.SESSION_INVALID)) {
                throw e;
            }
            LOG.info("XAPI session on {} no longer valid; logging in again", shown);
            return invoke(timeout, method, withSession(relogin(s), args));
        }
    }

    /** The session reference, logging in if there is none. */
    public String session() {
        String s = session;
        return s != null ? s : relogin(null);
    }

    /** Logs out (best effort) and forgets the session. */
    @Override
    public void close() {
        String s;
        synchronized (loginLock) {
            s = session;
            session = null;
        }
        if (s != null) {
            try {
                invoke(Duration.ofSeconds(5), "session.logout", List.of(s));
            } catch (RuntimeException e) {
                LOG.debug("logout from {}: {}", shown, e.getMessage());
            }
        }
    }

    /** Logs in unless another thread replaced {@code stale} meanwhile. */
    private String relogin(String stale) {
        synchronized (loginLock) {
            if (session != null && !session.equals(stale)) {
                return session;
            }
            Object ref = invoke(callTimeout, "session.login_with_password",
                    List.of(user, new String(password), API_VERSION, ORIGINATOR));
            session = String.valueOf(ref);
            logins++;
            LOG.debug("logged in to {} as {}", shown, user);
            return session;
        }
    }

    private static List<Object> withSession(String s, Object[] args) {
        List<Object> l = new ArrayList<>(args.length + 1);
        l.add(s == null ? NULL_SESSION : s);
        l.addAll(Arrays.asList(args));
        return l;
    }

    /** One XML-RPC round trip; XAPI's {@code Status: Failure} becomes an {@link XapiException}. */
    public Object invoke(Duration timeout, String method, List<?> params) {
        byte[] body = XmlRpc.call(method, params);
        HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "text/xml").header("User-Agent", ORIGINATOR)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new XapiTransportException(shown + " did not answer " + method + " within " + timeout, e);
        } catch (ConnectException e) {
            throw new XapiTransportException("cannot connect to " + shown + ": "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage()), e);
        } catch (SSLException e) {
            throw new XapiTransportException("TLS with " + shown + " failed (" + e.getMessage()
                    + "); set tls.certificate to the host's PEM certificate, or tls.trust.all=true in a lab", e);
        } catch (IOException e) {
            throw new XapiTransportException("cannot talk to " + shown + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XapiTransportException("interrupted while calling " + method + " on " + shown, e);
        }
        if (resp.statusCode() != 200) {
            throw new XapiTransportException(shown + " answered HTTP " + resp.statusCode() + " to " + method, null);
        }
        Object v;
        try {
            v = XmlRpc.parseResponse(resp.body());
        } catch (IllegalArgumentException | XmlRpcFault e) {
            throw new XapiTransportException(shown + " answered " + method + " with no XAPI response: "
                    + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m) || !m.containsKey("Status")) {
            throw new XapiTransportException(shown + " answered " + method + " without a Status", null);
        }
        if ("Success".equals(m.get("Status"))) {
            return m.get("Value");
        }
        List<String> d = new ArrayList<>();
        if (m.get("ErrorDescription") instanceof List<?> l) {
            l.forEach(o -> d.add(String.valueOf(o)));
        }
        throw new XapiException(d);
    }
}
