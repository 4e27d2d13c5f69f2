package org.widecloud.executor;

import java.net.URI;
import java.net.URISyntaxException;

import org.widecloud.api.spi.DriverException;

/** {@code ssh://user@host[:port]}: who and where; nothing else (no path, query or password) is accepted. */
record SshTarget(String user, String host, int port) {

    static SshTarget parse(String executor) {
        URI u;
        try {
            u = new URI(executor);
        } catch (URISyntaxException e) {
            throw invalid(executor, e.getReason());
        }
        if (!"ssh".equals(u.getScheme())) {
            throw invalid(executor, "scheme must be ssh");
        }
        String user = u.getUserInfo();
        if (user == null || user.isEmpty() || user.contains(":")) {
            throw invalid(executor, "needs a user (ssh://user@host) and no password");
        }
        if (u.getHost() == null) {
            throw invalid(executor, "needs a host name or address");
        }
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw invalid(executor, "takes no path, query or fragment");
        }
        int port = u.getPort() == -1 ? 22 : u.getPort();
        if (port < 1 || port > 65535) {
            throw invalid(executor, "port must be 1..65535");
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SshTarget(user, host, port);
    }

    private static DriverException invalid(String executor, String why) {
        return new DriverException("executor: '" + executor + "' is not a valid ssh://user@host[:port] ("
                + why + ")", null);
    }

    @Override
    public String toString() {
        return "ssh://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
