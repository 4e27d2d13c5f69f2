package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.widecloud.driver.xenserver.sim.SimCerts;
import org.widecloud.driver.xenserver.sim.XapiSimulator;

/**
 * The xenserver driver hot-swapped in the running distribution, against an XAPI simulator (no XenServer host can
 * run here): the simulator (from the driver's test-jar) runs in this test's JVM on 127.0.0.1 over HTTPS; the
 * driver in Karaf trusts its certificate through {@code tls.certificate} and logs in with the configured
 * {@code user}/{@code .password}. The driver is installed at runtime, VMs are created and started through REST,
 * the driver is uninstalled while they run (they keep running in the simulator; operations answer 409 "no
 * hypervisor driver 'xenserver' installed"; a guest powered off meanwhile is seen as stopped once the driver is
 * back), installed again, and the operations work.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class XenServerDriverIT extends WidecloudTestSupport {

    private static final String FEATURE = "widecloud-driver-xenserver";
    private static final String XAPI_URL = "widecloud.itest.xapi.url";

    /** Runs in the test JVM only (Pax Exam evaluates the configuration there); the container never loads it. */
    static final class InTestJvm {
        static final String PASSWORD = "itest-xapi-Pw";
        static XapiSimulator pool;

        static synchronized Option[] options() {
            if (pool == null) {
                pool = XapiSimulator.start("itest-pool", "root", PASSWORD, "xs-1");
                pool.addNetwork("lab", "xenbr1");
            }
            String cfg = "etc/org.widecloud.driver.xenserver.cfg";
            return new Option[] {
                systemProperty(XAPI_URL).value(pool.url()),
                editConfigurationFilePut(cfg, "user", "root"),
                editConfigurationFilePut(cfg, ".password", PASSWORD),
                editConfigurationFilePut(cfg, "tls.certificate", SimCerts.pem().toString())};
        }
    }

    @Override
    protected Option[] extraOptions() {
        return InTestJvm.options();
    }

    @Test
    public void xenserverDriverInstallsRunsVmsAndSwapsWhileTheyRun() throws Exception {
        FeaturesService features = service(FeaturesService.class, null, BOOT_TIMEOUT);
        await(BOOT_TIMEOUT).until(() -> call("GET", "/sites", null).status() == 200);
        assertFalse("the xenserver driver is not a boot feature",
                features.isInstalled(features.getFeature(FEATURE)));
        URI xapi = URI.create(System.getProperty(XAPI_URL));
        String hostUri = "xenserver://127.0.0.1:" + xapi.getPort() + "/?host=xs-1";

        call("POST", "/sites", json("name", "xs-site")).expect(201);
        call("POST", "/hosts", json("name", "xs-host", "site", "xs-site", "driver", "xenserver", "uri", hostUri))
                .expect(201);
        assertEquals("registered before its driver exists", "NO_DRIVER", hostState());

        install();
        assertTrue("the configuration the test wrote is kept",
                Files.readString(Path.of(System.getProperty("karaf.etc"), "org.widecloud.driver.xenserver.cfg"))
                        .contains("tls.certificate"));
        assertEquals("facts from the pool's host", 8, get("/hosts/xs-host").get("cpus").asInt());
        assertFalse("no password in the host's JSON", get("/hosts/xs-host").toString()
                .contains(InTestJvm.PASSWORD));

        call("POST", "/networks", json("name", "xs-lab", "ipv4Prefix", "10.62.0.0/24", "bridge", "xenbr1"))
                .expect(201);
        call("POST", "/images", json("name", "xs-kernel", "kernel", "/boot/guest/vmlinuz", "initrd",
                "/boot/guest/initrd.gz", "cmdline", "console=hvc0")).expect(201);
        for (String vm : List.of("xs-vm-1", "xs-vm-2")) {
            succeeded("POST", "/vms", json("name", vm, "host", "xs-host", "vcpus", 1, "memoryMiB", 128,
                    "image", "xs-kernel", "nics", List.of(Map.of("network", "xs-lab"))));
            succeeded("POST", "/vms/" + vm + "/start", null);
            assertEquals("RUNNING", vmState(vm));
        }
        String id1 = get("/vms/xs-vm-1").get("id").asText();
        String id2 = get("/vms/xs-vm-2").get("id").asText();
        assertTrue(simulator("GET", "vms"), simulator("GET", "vms").contains(id1 + " Running xs-1 xs-vm-1"));
        long vms = get("/vms?limit=1").get("total").asLong();

        String out = executeCommand("feature:uninstall " + FEATURE, Duration.ofMinutes(2));
        assertFalse(out, out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> "NO_DRIVER".equals(hostState()));
        assertFalse("xenserver is not listed any more", get("/drivers").toString().contains("\"xenserver\""));
        String listing = simulator("GET", "vms");
        assertTrue("the VMs keep running in XAPI: " + listing, listing.contains(id1 + " Running")
                && listing.contains(id2 + " Running"));
        for (String op : List.of("stop", "reboot", "destroy")) {
            Response refused = call("POST", "/vms/xs-vm-1/" + op, null);
            assertEquals(refused.toString(), 409, refused.status());
            assertTrue(refused.toString(), refused.json().path("detail").asText()
                    .contains("no hypervisor driver 'xenserver' installed"));
        }
        assertEquals(409, call("POST", "/vms", json("name", "xs-vm-3", "host", "xs-host", "vcpus", 1,
                "memoryMiB", 64, "image", "xs-kernel", "nics", List.of())).status());
        assertEquals("nothing deleted", vms, get("/vms?limit=1").get("total").asLong());

        // Behind the controller's back while it cannot see: one guest powers itself off.
        simulator("POST", "halt/" + id2);

        install();
        await(Duration.ofSeconds(60)).until(() -> "STOPPED".equals(vmState("xs-vm-2")));
        assertEquals("RUNNING", vmState("xs-vm-1"));
        succeeded("POST", "/vms/xs-vm-1/reboot", null);
        succeeded("POST", "/vms/xs-vm-1/stop", null);
        assertEquals("STOPPED", vmState("xs-vm-1"));
        assertTrue(simulator("GET", "vms").contains(id1 + " Halted"));
        succeeded("POST", "/vms/xs-vm-2/start", null);
        assertEquals("RUNNING", vmState("xs-vm-2"));
        succeeded("POST", "/vms/xs-vm-2/destroy", null);
        for (String vm : List.of("xs-vm-1", "xs-vm-2")) {
            succeeded("DELETE", "/vms/" + vm, null);
            call("GET", "/vms/" + vm, null).expect(404);
        }
        listing = simulator("GET", "vms");
        assertFalse("undefined in XAPI: " + listing, listing.contains(id1) || listing.contains(id2));
    }

    private void install() {
        String out = executeCommand("feature:install " + FEATURE, Duration.ofMinutes(2));
        assertFalse(out, out.contains("Error"));
        await(Duration.ofSeconds(60)).until(() -> get("/drivers").toString().contains("\"xenserver\""));
        await(Duration.ofSeconds(60)).until(() -> "UP".equals(hostState()));
    }

    private String hostState() {
        return get("/hosts/xs-host").get("state").asText();
    }

    private String vmState(String vm) {
        return get("/vms/" + vm).get("state").asText();
    }

    /** The simulator's test door ({@code /sim/...}), over its HTTPS with a test-only trust-all client. */
    private static String simulator(String method, String path) throws IOException, InterruptedException,
            GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(System.getProperty(XAPI_URL)
                + "sim/" + path)).timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
        return r.body();
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
