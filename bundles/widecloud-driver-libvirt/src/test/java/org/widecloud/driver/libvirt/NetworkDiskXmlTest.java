package org.widecloud.driver.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.internal.SafeXml;

/** iSCSI network disks with CHAP in the domain XML: the secret's usage name, never its value. */
class NetworkDiskXmlTest {
    private static final String SECRET = "s3cr3t-Chap-9x";
    @TempDir
    Path tmp;

    private static VmSpec withDisks(VmSpec.Disk... disks) {
        return new VmSpec(UUID.randomUUID().toString(), "iscsi-vm", 1, 128, VmSpec.Boot.disk(), List.of(disks),
                List.of());
    }

    private static VmSpec.Disk iscsi(VmSpec.Auth auth) {
        return VmSpec.Disk.iscsi("iqn.2026-11.org.widecloud:vol-0a1b/1", List.of("127.0.0.1:3260"), auth);
    }

    @Test
    void iscsiDiskWithChapPassesLibvirtsSchema() throws Exception {
        LibvirtSchema.requireValidator();
        VmSpec spec = withDisks(iscsi(new VmSpec.Auth("wc-user_1", SECRET, "widecloud/vol-0a1b".replace('/', '-'))),
                VmSpec.Disk.iscsi("iqn.2026-11.org.widecloud:vol-2/1", List.of("[::1]:3260"), null),
                VmSpec.Disk.file("/var/lib/widecloud/pools/p/v.qcow2", "qcow2", false));
        for (String type : List.of("kvm", "qemu", "test")) {
            String xml = DomainXml.build(spec, DomainFlavour.qemu(type, null));
            LibvirtSchema.assertValidDomain(type + " iscsi + chap", xml, tmp);
            assertFalse(xml.contains(SECRET), xml);
        }
    }

    @Test
    void sourceCarriesPortalTargetAndAuthByUsage() {
        String xml = DomainXml.build(withDisks(iscsi(new VmSpec.Auth("chap", SECRET, "wc-vol-0a1b"))),
                DomainFlavour.qemu("qemu", null));
        Element disk = (Element) SafeXml.parse(xml).getElementsByTagName("disk").item(0);
        assertEquals("network", disk.getAttribute("type"));
        Element source = (Element) disk.getElementsByTagName("source").item(0);
        assertEquals("iscsi", source.getAttribute("protocol"));
        assertEquals("iqn.2026-11.org.widecloud:vol-0a1b/1", source.getAttribute("name"));
        Element host = (Element) source.getElementsByTagName("host").item(0);
        assertEquals("127.0.0.1", host.getAttribute("name"));
        assertEquals("3260", host.getAttribute("port"));
        Element auth = (Element) source.getElementsByTagName("auth").item(0);
        assertEquals("chap", auth.getAttribute("username"));
        Element secret = (Element) auth.getElementsByTagName("secret").item(0);
        assertEquals("iscsi", secret.getAttribute("type"));
        assertEquals("wc-vol-0a1b", secret.getAttribute("usage"));
        assertEquals(2, secret.getAttributes().getLength(), "no value, no uuid: " + xml);
        assertFalse(xml.contains(SECRET));
    }

    @Test
    void badCredentialsAreRefusedNamingTheFieldWithoutTheSecret() {
        assertRefused("disks[0].auth.username", iscsi(new VmSpec.Auth("chap user", SECRET, "u")));
        assertRefused("disks[0].auth.username", iscsi(new VmSpec.Auth(null, SECRET, "u")));
        assertRefused("disks[0].auth.usage", iscsi(new VmSpec.Auth("chap", SECRET, "a/b")));
        assertRefused("disks[0].auth.usage", iscsi(new VmSpec.Auth("chap", SECRET, "")));
        assertRefused("disks[0].auth.usage", iscsi(new VmSpec.Auth("chap", SECRET, "a\nb")));
        assertRefused("disks[0].auth.secret", iscsi(new VmSpec.Auth("chap", "", "u")));
        assertRefused("disks[0].auth.secret", iscsi(new VmSpec.Auth("chap", null, "u")));
        assertRefused("disks[0].auth", new VmSpec.Disk("network", "export", "raw", "nbd", List.of("h:10809"), false,
                new VmSpec.Auth("chap", SECRET, "u")));
        assertRefused("disks[0].auth", new VmSpec.Disk("file", "/x.img", "raw", null, List.of(), false,
                new VmSpec.Auth("chap", SECRET, "u")));
        assertRefused("disks[0].hosts", VmSpec.Disk.iscsi("iqn.x:y/1", List.of("a:1", "b:2"), null));
    }

    @Test
    void authToStringHidesTheSecret() {
        assertFalse(new VmSpec.Auth("chap", SECRET, "u").toString().contains(SECRET));
        assertFalse(iscsi(new VmSpec.Auth("chap", SECRET, "u")).toString().contains(SECRET));
    }

    private static void assertRefused(String field, VmSpec.Disk disk) {
        DriverException e = assertThrows(DriverException.class, () -> DomainXml.validate(withDisks(disk)));
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }
}
