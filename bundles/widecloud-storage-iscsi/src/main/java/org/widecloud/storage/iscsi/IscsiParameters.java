package org.widecloud.storage.iscsi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;

/**
 * An iscsi pool's parameters, checked. Every value here ends up as one argument of a command on the storage
 * server (tgtadm, qemu-img, df), so each is held to a plain shape that can never read as an option or a path
 * outside the pool. The CHAP secret is never part of a message or of {@link #toString()}.
 *
 * @param serverExecutor executor URI of the storage server ({@code local}, {@code netns:NAME}, {@code ssh://...})
 * @param portal {@code host:port} the hypervisors connect to
 * @param iqnPrefix target names are {@code <iqnPrefix>:<volume id>}
 * @param path directory on the storage server for the LUN backing files; null:
 *     {@code /var/lib/widecloud/iscsi/<pool id>}
 * @param initiators addresses (or address/prefix) allowed to log in; empty: ALL
 */
record IscsiParameters(String serverExecutor, String portal, String iqnPrefix, String path, String chapUser,
        String chapSecret, List<String> initiators) {

    static final String SERVER_EXECUTOR = "server.executor";
    static final String PORTAL = "portal";
    static final String IQN_PREFIX = "iqn.prefix";
    static final String PATH = "path";
    static final String CHAP_USER = "chap.user";
    static final String CHAP_SECRET = "chap.secret";
    static final String INITIATORS = "initiators";
    static final Set<String> KNOWN = Set.of(SERVER_EXECUTOR, PORTAL, IQN_PREFIX, PATH, CHAP_USER, CHAP_SECRET,
            INITIATORS);
    static final String DEFAULT_ROOT = "/var/lib/widecloud/iscsi";

    /** RFC 3720 names: {@code iqn.YYYY-MM.reversed.domain[:suffix]}, lower case (IQNs compare case-insensitively). */
    private static final Pattern IQN = Pattern.compile(
            "iqn\\.[0-9]{4}-(0[1-9]|1[0-2])\\.[a-z0-9]+([.-][a-z0-9]+)*(:[a-z0-9]+([.:-][a-z0-9]+)*)?");
    /** Room left in the 223 bytes of an iSCSI name for ":" and a volume id. */
    private static final int MAX_IQN_PREFIX = 223 - 1 - 64;
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern PATH_CHARS = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9_.+-]*)+");
    /** What tgtadm takes as one word and libvirt's schema as an auth username (no '.' or '@' there). */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_+-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    static IscsiParameters parse(Map<String, String> parameters) {
        Map<String, String> p = parameters == null ? Map.of() : parameters;
        for (String key : p.keySet()) {
            if (!KNOWN.contains(key)) {
                throw wrong(key, "unknown parameter (iscsi takes " + String.join(", ", List.of(SERVER_EXECUTOR,
                        PORTAL, IQN_PREFIX, PATH, CHAP_USER, CHAP_SECRET, INITIATORS)) + ")");
            }
        }
        return new IscsiParameters(executor(required(p, SERVER_EXECUTOR)), portal(required(p, PORTAL)),
                iqnPrefix(required(p, IQN_PREFIX)), path(p.get(PATH)), user(required(p, CHAP_USER)),
                secret(p.get(CHAP_SECRET)), initiators(p.get(INITIATORS)));
    }

    /** The directory of the pool's backing files. */
    String directory(String poolId) {
        return path != null ? path : DEFAULT_ROOT + "/" + Names.id("poolId", poolId);
    }

    String targetName(String volumeId) {
        return iqnPrefix + ":" + Names.id("volumeId", volumeId);
    }

    /** The libvirt secret (usage name) a hypervisor keeps this pool's CHAP secret under. */
    static String secretUsage(String poolId) {
        return "widecloud-iscsi-" + Names.id("poolId", poolId);
    }

    @Override
    public String toString() {
        return "IscsiParameters[server.executor=" + serverExecutor + ", portal=" + portal + ", iqn.prefix=" + iqnPrefix
                + ", path=" + path + ", chap.user=" + chapUser + ", chap.secret=******, initiators=" + initiators
                + "]";
    }

    private static String required(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            throw wrong(key, "required");
        }
        return v.strip();
    }

    private static String executor(String v) {
        if ("local".equals(v)) {
            return v;
        }
        if (v.startsWith("netns:")) {
            if (!NETNS.matcher(v.substring(6)).matches() || v.contains("..")) {
                throw wrong(SERVER_EXECUTOR, "'" + v + "': the namespace name is 1-63 of A-Z a-z 0-9 _ . -");
            }
            return v;
        }
        if (v.startsWith("ssh://")) {
            try {
                URI u = new URI(v);
                String user = u.getUserInfo();
                if (user == null || user.isEmpty() || user.contains(":") || u.getHost() == null
                        || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null
                        || u.getRawFragment() != null) {
                    throw wrong(SERVER_EXECUTOR, "'" + v + "' is not ssh://user@host[:port] (no password, path "
                            + "or query)");
                }
                return v;
            } catch (URISyntaxException e) {
                throw wrong(SERVER_EXECUTOR, "'" + v + "' is not a URI: " + e.getReason());
            }
        }
        throw wrong(SERVER_EXECUTOR, "'" + v + "' is not local, netns:NAME or ssh://user@host[:port]");
    }

    /** {@code host[:port]} or {@code [v6][:port]}; 3260 when no port is given. */
    private static String portal(String v) {
        String host;
        String port = "3260";
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                throw wrong(PORTAL, "'" + v + "': missing ']' after the IPv6 address");
            }
            host = v.substring(1, end);
            String rest = v.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw wrong(PORTAL, "'" + v + "' is not [address]:port");
                }
                port = rest.substring(1);
            }
            if (!ipv6(host)) {
                throw wrong(PORTAL, "'" + host + "' is not an IPv6 address");
            }
            host = "[" + host + "]";
        } else {
            int colon = v.lastIndexOf(':');
            host = colon < 0 ? v : v.substring(0, colon);
            if (colon >= 0) {
                port = v.substring(colon + 1);
            }
            if (!HOSTNAME.matcher(host).matches() || host.length() > 253) {
                throw wrong(PORTAL, "'" + v + "' is not host:port (IPv6: [address]:port)");
            }
        }
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 65535) {
            throw wrong(PORTAL, "port '" + port + "' is not 1..65535");
        }
        return host + ":" + n;
    }

    private static String iqnPrefix(String v) {
        if (!IQN.matcher(v).matches()) {
            throw wrong(IQN_PREFIX, "'" + v + "' is not an iSCSI qualified name like iqn.2026-11.org.example "
                    + "(lower case letters, digits, '.', '-', ':' after the domain)");
        }
        if (v.length() > MAX_IQN_PREFIX) {
            throw wrong(IQN_PREFIX, "longer than " + MAX_IQN_PREFIX + " characters (the volume id must fit in 223)");
        }
        return v;
    }

    /** An absolute, normal directory: no {@code .} or {@code ..} segment, no {@code //}, no trailing slash. */
    private static String path(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.strip();
        if (!s.startsWith("/")) {
            throw wrong(PATH, "'" + s + "' is not an absolute path");
        }
        for (String segment : s.substring(1).split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                throw wrong(PATH, "'" + s + "' must be a normal absolute directory: no '.', '..' or empty segment");
            }
        }
        if (!PATH_CHARS.matcher(s).matches()) {
            throw wrong(PATH, "'" + s + "': each segment is A-Z a-z 0-9 _ . + - and starts with a letter, digit "
                    + "or _");
        }
        return s;
    }

    private static String user(String v) {
        if (!USER.matcher(v).matches()) {
            throw wrong(CHAP_USER, "'" + v + "' is not 1-64 of A-Z a-z 0-9 _ + - starting with a letter or digit");
        }
        return v;
    }

    /** 12..16 printable ASCII characters (RFC 3720's minimum; some initiators refuse longer); never echoed. */
    private static String secret(String v) {
        if (v == null || v.isEmpty()) {
            throw wrong(CHAP_SECRET, "required");
        }
        if (v.length() < 12 || v.length() > 16) {
            throw wrong(CHAP_SECRET, "must be 12 to 16 characters (has " + v.length() + ")");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw wrong(CHAP_SECRET, "only printable ASCII without spaces (character " + (i + 1) + " is not)");
            }
        }
        return v;
    }

    private static List<String> initiators(String v) {
        if (v == null || v.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String raw : v.split(",")) {
            String a = raw.strip();
            String addr = a;
            int slash = a.indexOf('/');
            int max = 32;
            if (slash >= 0) {
                addr = a.substring(0, slash);
            }
            boolean v4 = IPV4.matcher(addr).matches();
            if (!v4 && !ipv6(addr)) {
                throw wrong(INITIATORS, "'" + a + "' is not an IPv4 or IPv6 address (or address/prefix)");
            }
            if (!v4) {
                max = 128;
            }
            if (slash >= 0) {
                String len = a.substring(slash + 1);
                int n;
                try {
                    n = Integer.parseInt(len);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0 || n > max || !len.matches("[0-9]{1,3}")) {
                    throw wrong(INITIATORS, "'" + a + "': prefix length must be 0.." + max);
                }
            }
            out.add(a);
        }
        return List.copyOf(out);
    }

    private static boolean ipv6(String s) {
        byte[] a = Initiators.literal(s);
        return a != null && a.length == 16;
    }

    static ValidationException wrong(String key, String why) {
        return new ValidationException("parameters." + key, why);
    }
}
