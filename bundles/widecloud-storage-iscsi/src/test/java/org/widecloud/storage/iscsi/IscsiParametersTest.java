package org.widecloud.storage.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class IscsiParametersTest {
    static final String SECRET = "s3cr3t-Pa55word";
    static final Map<String, String> OK = Map.of("server.executor", "local", "portal", "127.0.0.1:3260",
            "iqn.prefix", "iqn.2026-11.org.widecloud", "path", "/srv/iscsi/pool-1", "chap.user", "wc-pool1",
            "chap.secret", SECRET);

    static Map<String, String> with(String key, String value) {
        Map<String, String> m = new HashMap<>(OK);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    static void refused(String key, String value) {
        ValidationException e = assertThrows(ValidationException.class, () -> IscsiParameters.parse(with(key, value)),
                key + "=" + value);
        assertEquals("parameters." + key, e.field(), e.getMessage());
        assertEquals(400, e.status());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void goodParametersAreKeptAndTheSecretIsNotShown() {
        IscsiParameters p = IscsiParameters.parse(OK);
        assertEquals("127.0.0.1:3260", p.portal());
        assertEquals("/srv/iscsi/pool-1", p.directory("0b1e"));
        assertEquals("iqn.2026-11.org.widecloud:7f3a-01", p.targetName("7f3a-01"));
        assertEquals(List.of(), p.initiators());
        assertFalse(p.toString().contains(SECRET), p.toString());
        assertTrue(p.toString().contains("chap.secret=******"));
    }

    @Test
    void defaultsPortAndDirectory() {
        IscsiParameters p = IscsiParameters.parse(with("portal", "storage.example.org"));
        assertEquals("storage.example.org:3260", p.portal());
        assertEquals("[fd00::5]:3261", IscsiParameters.parse(with("portal", "[fd00::5]:3261")).portal());
        p = IscsiParameters.parse(with("path", null));
        assertNull(p.path());
        assertEquals("/var/lib/widecloud/iscsi/5d6c1b7e-0000-4000-8000-000000000001",
                p.directory("5d6c1b7e-0000-4000-8000-000000000001"));
    }

    @Test
    void acceptsEveryExecutorKindAndInitiatorList() {
        for (String ex : List.of("local", "netns:wc-storage", "ssh://root@192.0.2.9", "ssh://tgt@[fd00::9]:2222")) {
            assertEquals(ex, IscsiParameters.parse(with("server.executor", ex)).serverExecutor());
        }
        assertEquals(List.of("192.0.2.10", "10.1.0.0/16", "fd00::10", "fd00:1::/64"), IscsiParameters.parse(
                with("initiators", "192.0.2.10, 10.1.0.0/16,fd00::10,fd00:1::/64")).initiators());
    }

    @Test
    void pathsThatEscapeOrAreNotPlainAreRefused() {
        for (String path : List.of("../etc", "/srv/../etc", "/srv/./x", "/srv//x", "/srv/x/", "relative/dir",
                "/srv/-rf", "/srv/a b", "/srv/$(id)", "/srv/x/..", "/")) {
            refused("path", path);
        }
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        refused("server.executor", null);
        refused("server.executor", "ssh://root:pw@host");
        refused("server.executor", "netns:../x");
        refused("server.executor", "telnet://host");
        refused("portal", null);
        refused("portal", "127.0.0.1:0");
        refused("portal", "127.0.0.1:70000");
        refused("portal", "-oProxyCommand=x:3260");
        refused("portal", "[fd00::zz]:3260");
        refused("iqn.prefix", null);
        refused("iqn.prefix", "eui.02004567A425678D");
        refused("iqn.prefix", "iqn.2026-13.org.example");
        refused("iqn.prefix", "iqn.2026-11.Org.Example");
        refused("iqn.prefix", "iqn.2026-11.org.example:" + "x".repeat(200));
        refused("chap.user", null);
        refused("chap.user", "-u");
        refused("chap.user", "a b");
        refused("chap.user", "user@example.org");
        refused("chap.secret", null);
        assertEquals("twelve-chars", IscsiParameters.parse(with("chap.secret", "twelve-chars")).chapSecret());
        refused("chap.secret", "elevenchars");
        refused("chap.secret", "seventeen-chars-x");
        refused("chap.secret", "has space 123");
        refused("initiators", "192.0.2.300");
        refused("initiators", "192.0.2.0/33");
        refused("initiators", "ALL");
        refused("initiators", "host.example.org");
        refused("unknown.key", "x");
    }
}
