package org.widecloud.executor;

import java.net.URI;
import java.net.URISyntaxException;

import org.widecloud.api.spi.DriverException;

/**
 * {@code ssh://user@host[:port][?netns=NAME]}: who and where. The only query is {@code netns} (commands then run in
 * that network namespace of the host); no path, fragment or password is accepted, and neither are key files: keys
 * and known hosts are the controller's configuration, not something a host record (shown by the API) can name.
 */
record SshTarget(String user, String host, int port) {

    static SshTarget parse(String executor) {
        return parseUri(executor).target();
    }

    /** An ssh:// executor URI: the host and, optionally, a network namespace on it. */
    record Uri(SshTarget target, String netns) {
    }

    static Uri parseUri(String executor) {
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
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawFragment() != null) {
            throw invalid(executor, "takes no path or fragment");
        }
        String netns = null;
        if (u.getRawQuery() != null) {
            if (!u.getRawQuery().startsWith("netns=")) {
                throw invalid(executor, "the only query is netns=NAME");
            }
            netns = u.getRawQuery().substring("netns=".length());
            try {
                NetnsExecutor.checkName(netns);
            } catch (DriverException e) {
                throw invalid(executor, "netns name '" + netns + "': letters, digits, '_', '.', '-', at most 63");
            }
        }
        int port = u.getPort() == -1 ? 22 : u.getPort();
        if (port < 1 || port > 65535) {
            throw invalid(executor, "port must be 1..65535");
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Uri(new SshTarget(user, host, port), netns);
    }

    private static DriverException invalid(String executor, String why) {
        return new DriverException("executor: '" + executor + "' is not a valid ssh://user@host[:port][?netns=NAME] ("
                + why + ")", null);
    }

    @Override
    public String toString() {
        return "ssh://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
