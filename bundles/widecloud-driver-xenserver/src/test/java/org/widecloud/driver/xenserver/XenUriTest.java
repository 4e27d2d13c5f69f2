package org.widecloud.driver.xenserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.widecloud.api.spi.DriverException;

class XenUriTest {

    @Test
    void schemesPortsUserAndHost() {
        XenUri u = XenUri.parse("xenserver://root:s%40cret@pool1.example.org?host=xs-02");
        assertEquals("https://pool1.example.org:443/", u.endpoint().toString());
        assertEquals("root", u.user());
        assertArrayEquals("s@cret".toCharArray(), u.password());
        assertEquals("xs-02", u.hostSelector());

        XenUri h = XenUri.parse("https://10.0.0.5:8443/");
        assertEquals("https://10.0.0.5:8443/", h.endpoint().toString());
        assertNull(h.user());
        assertNull(h.hostSelector());

        assertEquals("http://lab:80/", XenUri.parse("http://lab").endpoint().toString());
    }

    @Test
    void badUrisNameTheField() {
        for (String bad : new String[] {"qemu:///system", "xenserver:///", "https://h/some/path", "https://h?x=1",
                "https://h?host=", "", "not a uri"}) {
            DriverException e = assertThrows(DriverException.class, () -> XenUri.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("host.uri:"), e.getMessage());
        }
    }

    @Test
    void redactionDropsThePassword() {
        String r = XenUri.redact("https://root:topsecret@h:443/?host=a");
        assertFalse(r.contains("topsecret"), r);
        assertFalse(r.contains("root"), r);
        assertTrue(r.contains("h:443"), r);
        assertEquals("https://h/", XenUri.redact("https://h/"));
        assertFalse(XenUri.redact("https://u:p w@h/").contains("p w"));
    }
}
