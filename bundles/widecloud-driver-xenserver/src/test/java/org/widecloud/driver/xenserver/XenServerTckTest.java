package org.widecloud.driver.xenserver;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.tck.HypervisorDriverContract;
import org.widecloud.driver.xenserver.sim.SimCerts;
import org.widecloud.driver.xenserver.sim.XapiSimulator;

/**
 * The driver TCK against the XAPI simulator (no XenServer host can run on the build machines), over HTTPS.
 * The connection drop is an XAPI session expiry (all sessions invalidated, as a toolstack restart does); the
 * migration target is the other host of the pool ({@code VM.pool_migrate}); {@link XenServerCrossPoolTckTest}
 * migrates to another pool instead.
 *
 * <p>What only a real XenServer/XCP-ng pool exercises: that XAPI accepts the VM record and boots the guest (PV
 * kernel paths in dom0, HVM from a VDI), the guest's own reaction to a clean shutdown, XAPI's real error texts
 * and task timings, storage motion and the migration stream.
 */
class XenServerTckTest extends HypervisorDriverContract {
    static XapiSimulator poolA;
    static XapiSimulator poolB;
    private static final String PASSWORD = "tck-password";

    private final XenServerDriver driver = new XenServerDriver("root", PASSWORD, SimCerts.pem().toString(), false,
            Duration.ofSeconds(2));

    @BeforeAll
    static void pools() {
        poolA = XapiSimulator.start("tck-a", "root", PASSWORD, "tck-a1", "tck-a2");
        poolB = XapiSimulator.start("tck-b", "root", PASSWORD, "tck-b1");
        poolA.addNetwork("lab", "xenbr1");
        poolB.addNetwork("lab", "xenbr1");
    }

    @AfterAll
    static void stopPools() {
        poolA.close();
        poolB.close();
    }

    static HostEndpoint endpoint(XapiSimulator pool, String host) {
        return new HostEndpoint(host, host, "xenserver://127.0.0.1:" + pool.port() + "/?host=" + host);
    }

    @Override
    protected HypervisorDriver driver() {
        return driver;
    }

    @Override
    protected HostEndpoint host() {
        return endpoint(poolA, "tck-a1");
    }

    @Override
    protected VmSpec newSpec(String name) {
        return new VmSpec(UUID.randomUUID().toString(), name, 1, 128,
                new VmSpec.Boot("/boot/guest/vmlinuz", "/boot/guest/initrd.gz", "console=hvc0"), List.of(),
                List.of(new VmSpec.NicSpec("52:54:00:aa:00:01", "xenbr1", "virtio")));
    }

    @Override
    protected boolean breakConnection() {
        poolA.invalidateSessions();
        return true;
    }

    @Override
    protected HostEndpoint migrationTarget() {
        return endpoint(poolA, "tck-a2");
    }

    @Override
    protected void afterEachTest() {
        driver.close();
    }
}
