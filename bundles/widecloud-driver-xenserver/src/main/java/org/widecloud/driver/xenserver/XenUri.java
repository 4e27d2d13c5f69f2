package org.widecloud.driver.xenserver;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.widecloud.api.spi.DriverException;

/**
 * A host URI of this driver: {@code xenserver://[user[:password]@]master[:port][/][?host=NAME-OR-UUID]} or the
 * same with {@code https://} (both HTTPS, port 443 by default), or {@code http://} (plain text, port 80; labs
 * only). The address is the pool master's; {@code host} picks the XAPI host of the pool that this widecloud host
 * stands for (by uuid, name label or hostname). Without it the widecloud host stands for the whole pool (facts
 * of the master, every VM of the pool). User and password in the URI win over the driver's configured ones.
 *
 * @param endpoint where XAPI listens, without user info
 * @param user user from the URI, or null
 * @param password password from the URI, or null (never shown)
 * @param hostSelector the {@code host} query parameter, or null
 */
record XenUri(URI endpoint, String user, char[] password, String hostSelector) {

    static XenUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new DriverException("host.uri: is required", null);
        }
        URI u;
        try {
            u = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new DriverException("host.uri: not a URI (" + e.getReason() + ")", null);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        String wire;
        int defaultPort;
        switch (scheme) {
            case "xenserver", "https" -> {
                wire = "https";
                defaultPort = 443;
            }
            case "http" -> {
                wire = "http";
                defaultPort = 80;
            }
            default -> throw new DriverException("host.uri: scheme must be xenserver, https or http (got '"
                    + scheme + "')", null);
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            throw new DriverException("host.uri: names no host (xenserver://master[:port])", null);
        }
        if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw new DriverException("host.uri: takes no path (got '" + u.getRawPath() + "')", null);
        }
        String selector = null;
        if (u.getRawQuery() != null && !u.getRawQuery().isEmpty()) {
            for (String kv : u.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                String k = decode(eq < 0 ? kv : kv.substring(0, eq));
                String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
                if (!k.equals("host") || v.isBlank()) {
                    throw new DriverException("host.uri: the only query parameter is host=NAME-OR-UUID (got '"
                            + k + "')", null);
                }
                selector = v;
            }
        }
        String user = null;
        char[] password = null;
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1)).toCharArray();
        }
        int port = u.getPort() < 0 ? defaultPort : u.getPort();
        String host = u.getHost();
        URI endpoint = URI.create(wire + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + ":" + port + "/");
        return new XenUri(endpoint, user == null || user.isEmpty() ? null : user, password, selector);
    }

    /** The URI as messages and logs show it: no user info at all, so no password. */
    static String redact(String uri) {
        if (uri == null) {
            return "null";
        }
        try {
            URI u = new URI(uri.trim());
            if (u.getRawUserInfo() == null) {
                return uri;
            }
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), null).toString();
        } catch (URISyntaxException e) {
            int at = uri.lastIndexOf('@');
            int start = uri.indexOf("://");
            return at > start && start >= 0 ? uri.substring(0, start + 3) + uri.substring(at + 1) : "(unparsable URI)";
        }
    }

    /** The connection this URI shares with others of the same pool and user. */
    String connectionKey(String effectiveUser) {
        return endpoint + "#" + effectiveUser;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
