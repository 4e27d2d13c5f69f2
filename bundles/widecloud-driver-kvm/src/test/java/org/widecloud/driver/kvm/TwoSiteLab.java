package org.widecloud.driver.kvm;

import org.widecloud.driver.libvirt.TestEnvironment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.widecloud.api.spi.HostEndpoint;

/**
 * itests/lab/two-site-lab.sh from a test: brings the lab up (or reuses a running one), switches the static L2
 * stretch on for the test and restores both afterwards. Requires root and {@code ip netns}, else the test skips
 * (fails under CI=true).
 */
public final class TwoSiteLab {
    public static final HostEndpoint SITE_A = new HostEndpoint("site-a-1", "site-a", "qemu+tcp://10.0.1.2/system",
            "10.0.1.2", "netns:site-a");
    public static final HostEndpoint SITE_B = new HostEndpoint("site-b-1", "site-b", "qemu+tcp://10.0.2.2/system",
            "10.0.2.2", "netns:site-b");

    final Path script;
    final Path labDir;
    public final Path guestDir;
    private boolean wasUp;
    private boolean wasStretched;
    private FileChannel lockFile;
    private FileLock lock;

    private TwoSiteLab(Path script, Path labDir) {
        this.script = script;
        this.labDir = labDir;
        this.guestDir = labDir.resolve("guest");
    }

    /** Checks the machine, builds the guest, brings the lab up with the stretch on. */
    public static TwoSiteLab up() throws Exception {
        return up(true);
    }

    /**
     * Brings the lab up with the static stretch on, or off (when a mobility backend, widecloud's VXLAN, extends
     * lab-net itself: two tunnels between the same bridges would loop).
     */
    public static TwoSiteLab up(boolean stretch) throws Exception {
        TestEnvironment.require("0".equals(run(false, "id", "-u").trim()), "the two-site lab needs root");
        TestEnvironment.require(exit("ip", "netns", "list") == 0, "'ip netns' is not available");
        TestEnvironment.require(exit("sh", "-c", "command -v libvirtd") == 0,
                "libvirtd is not installed (apt-get install libvirt-daemon-system qemu-system-x86)");
        Path buildGuest = Path.of(System.getProperty("widecloud.buildGuest", "../../itests/lab/build-guest.sh"))
                .toAbsolutePath().normalize();
        TwoSiteLab lab = new TwoSiteLab(buildGuest.resolveSibling("two-site-lab.sh"),
                Path.of(System.getenv().getOrDefault("WIDECLOUD_LAB_DIR", "/var/tmp/widecloud-lab")));
        run(true, buildGuest.toString(), lab.guestDir.toString());
        // One lab per machine: tests in other JVMs (another module's build, another developer) wait here.
        Files.createDirectories(lab.labDir);
        lab.lockFile = FileChannel.open(lab.labDir.resolve(".test.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        lab.lock = lab.lockFile.lock();
        String status = runLenient(lab.script.toString(), "status");
        lab.wasUp = !status.contains("missing") && !status.contains("not answering");
        lab.wasStretched = status.contains("stretch: on");
        if (stretch) {
            run(true, lab.script.toString(), "up", "--stretch");
        } else {
            run(true, lab.script.toString(), "up");
            run(true, lab.script.toString(), "stretch", "off");
        }
        return lab;
    }

    /** Leaves the lab as it was found: down if this test brought it up, the stretch off if it was off. */
    public void restore() throws Exception {
        try {
            if (!wasUp) {
                run(true, script.toString(), "down");
            } else {
                run(true, script.toString(), "stretch", wasStretched ? "on" : "off");
            }
        } finally {
            lock.release();
            lockFile.close();
        }
    }

    /** Stops a site's libvirtd by its pid file (its guests keep running); {@link #restart()} brings it back. */
    void stopDaemon(String site) throws Exception {
        endDaemon(site, false);
    }

    /** Kills a site's libvirtd with SIGKILL, as a crash would. */
    void killDaemon(String site) throws Exception {
        endDaemon(site, true);
    }

    private void endDaemon(String site, boolean kill) throws Exception {
        Path pidFile = labDir.resolve(site).resolve("libvirtd.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no libvirtd " + pid));
        if (kill) {
            h.destroyForcibly();
        } else {
            h.destroy();
        }
        h.onExit().get(10, TimeUnit.SECONDS);
    }

    /** The bridges' forwarding tables and site A's neighbours, for a failure message. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (String[] cmd : new String[][] {{"bridge", "-n", "site-a", "fdb", "show", "br", "br0"},
            {"bridge", "-n", "site-b", "fdb", "show", "br", "br0"}, {"ip", "-n", "site-a", "neigh"}}) {
            try {
                b.append("$ ").append(String.join(" ", cmd)).append('\n').append(run(false, cmd));
            } catch (Exception e) {
                b.append(e).append('\n');
            }
        }
        return b.toString();
    }

    void restart() throws Exception {
        run(true, script.toString(), "up");
    }

    static String run(boolean check, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
        if (check) {
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static String runLenient(String... cmd) throws Exception {
        return run(false, cmd);
    }

    private static int exit(String... cmd) {
        try {
            List<String> c = new ArrayList<>(List.of(cmd));
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (Exception e) {
            return -1;
        }
    }
}
