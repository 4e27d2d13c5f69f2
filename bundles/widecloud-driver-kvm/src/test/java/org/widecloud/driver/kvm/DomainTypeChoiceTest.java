package org.widecloud.driver.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.driver.libvirt.HostProbe;

class DomainTypeChoiceTest {
    @TempDir
    Path tmp;

    static String caps(String resource) throws IOException {
        try (InputStream in = DomainTypeChoiceTest.class.getResourceAsStream("/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static HostProbe probe(String uri, String capsResource) throws IOException {
        return new HostProbe(uri, "QEMU", caps(capsResource), HostProbe.isLocal(uri));
    }

    @Test
    void autoPicksKvmOnlyWhenOfferedAndTheLocalCpuCanVirtualise() throws IOException {
        HostProbe local = probe("qemu:///system", "capabilities-kvm.xml");
        assertEquals("kvm", DomainTypeChoice.AUTO.domainType(local, () -> true));
        // /dev/kvm without vmx/svm (this machine): libvirt offers kvm, but guests would not run
        assertEquals("qemu", DomainTypeChoice.AUTO.domainType(local, () -> false));
        assertEquals("qemu", DomainTypeChoice.AUTO.domainType(probe("qemu:///system", "capabilities-tcg-only.xml"),
                () -> true));
        // a remote host's CPU is not ours to read: its capabilities decide
        assertEquals("kvm", DomainTypeChoice.AUTO.domainType(probe("qemu+tcp://10.0.0.1/system",
                "capabilities-kvm.xml"), () -> false));
        assertEquals("qemu", DomainTypeChoice.AUTO.domainType(probe("qemu+tcp://10.0.0.1/system",
                "capabilities-tcg-only.xml"), () -> true));
    }

    @Test
    void configuredTypeWinsExceptOnTheTestHypervisor() throws IOException {
        HostProbe local = probe("qemu:///system", "capabilities-tcg-only.xml");
        assertEquals("kvm", DomainTypeChoice.parse("kvm").domainType(local, () -> false));
        assertEquals("qemu", DomainTypeChoice.parse(" QEMU ").domainType(probe("qemu:///system",
                "capabilities-kvm.xml"), () -> true));
        HostProbe test = new HostProbe("test:///default", "TEST", "", true);
        for (String t : new String[] {"auto", "kvm", "qemu"}) {
            assertEquals("test", DomainTypeChoice.parse(t).domainType(test, () -> true));
        }
        assertEquals(DomainTypeChoice.AUTO, DomainTypeChoice.parse(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainTypeChoice.parse("xen"));
        assertTrue(e.getMessage().startsWith("domain.type: 'xen'"), e.getMessage());
    }

    @Test
    void localUris() {
        assertTrue(HostProbe.isLocal("qemu:///system"));
        assertTrue(HostProbe.isLocal("qemu:///session"));
        assertTrue(HostProbe.isLocal("test:///default"));
        assertTrue(HostProbe.isLocal("qemu+unix:///system?socket=/run/site-b/libvirt-sock"));
        assertFalse(HostProbe.isLocal("qemu+tcp://10.1.0.2/system"));
        assertFalse(HostProbe.isLocal("qemu+ssh://root@host.example/system"));
    }

    @Test
    void cpuFlags() throws IOException {
        Path intel = Files.writeString(tmp.resolve("intel"), "processor\t: 0\nflags\t\t: fpu vme vmx sse2\n");
        Path amd = Files.writeString(tmp.resolve("amd"), "processor\t: 0\nflags\t\t: fpu svm lm\n");
        Path none = Files.writeString(tmp.resolve("none"), "processor\t: 0\nflags\t\t: fpu hypervisor vmxx\n"
                + "model name\t: vmx in a name does not count\n");
        assertTrue(CpuInfo.hasHardwareVirtualization(intel));
        assertTrue(CpuInfo.hasHardwareVirtualization(amd));
        assertFalse(CpuInfo.hasHardwareVirtualization(none));
        assertFalse(CpuInfo.hasHardwareVirtualization(tmp.resolve("missing")));
    }
}
