package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mobility backends NEMO and VLAN and the iSCSI storage backend as an operator meets them: installed
 * features of the distribution (in its system/, not booted), hot-installed with {@code feature:install}, listed
 * by {@code /drivers}, validating their parameters through REST (400 naming the field, nothing created),
 * showing state through {@code /networks/{ref}/bindings}, and gone again after {@code feature:uninstall}
 * (their networks then answer 409 "no mobility backend"). Their data planes are tested in their modules (the
 * full-kernel lab, a real tgtd).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackendFeaturesIT extends WidecloudTestSupport {

    private static final List<String> FEATURES = List.of("widecloud-mobility-nemo", "widecloud-mobility-vlan",
            "widecloud-storage-iscsi");

    @Test
    public void backendsInstallValidateReportAndUninstall() throws Exception {
        FeaturesService features = service(FeaturesService.class, null, BOOT_TIMEOUT);
        await(BOOT_TIMEOUT).until(() -> call("GET", "/sites", null).status() == 200);
        for (String f : FEATURES) {
            assertFalse(f + " is not booted", features.isInstalled(features.getFeature(f)));
        }
        call("POST", "/networks", json("name", "early", "ipv4Prefix", "10.70.0.0/24", "mobility", "nemo"))
                .expect(409);

        for (String f : FEATURES) {
            String out = executeCommand("feature:install " + f, Duration.ofMinutes(2));
            assertFalse(out, out.contains("Error"));
        }
        await(Duration.ofSeconds(60)).until(() -> {
            String drivers = get("/drivers").toString();
            return drivers.contains("\"nemo\"") && drivers.contains("\"vlan\"") && drivers.contains("\"iscsi\"");
        });

        call("POST", "/sites", json("name", "campus-a")).expect(201);
        // VLAN: the field that is wrong is named, and nothing is created
        assertField(call("POST", "/networks", json("name", "v-bad", "ipv4Prefix", "10.71.0.0/24", "mobility", "vlan",
                "parameters", Map.of("vid", "4095", "uplink.campus-a", "eth1"))), 400, "parameters.vid");
        assertField(call("POST", "/networks", json("name", "v-bad", "ipv4Prefix", "10.71.0.0/24", "mobility", "vlan",
                "parameters", Map.of("vid", "100"))), 400, "parameters.uplink");
        call("GET", "/networks/v-bad", null).expect(404);
        call("POST", "/networks", json("name", "v100", "ipv4Prefix", "10.71.0.0/24", "mobility", "vlan",
                "parameters", Map.of("vid", "100", "uplink.campus-a", "eth1"))).expect(201);

        // NEMO: a home agent inside its own mobile network prefix is refused
        assertField(call("POST", "/networks", json("name", "n-bad", "ipv6Prefix", "fd00:70::/64", "ipv4Prefix",
                "10.70.0.0/24", "mobility", "nemo", "parameters", Map.of("ha.address", "fd00:70::1",
                        "ha.executor", "local"))), 400, "parameters.ha.address");
        call("POST", "/networks", json("name", "mobile", "ipv6Prefix", "fd00:70::/64", "ipv4Prefix",
                "10.70.0.0/24", "mobility", "nemo", "parameters", Map.of("ha.address", "fd00:a::70",
                        "ha.executor", "local", "lifetime", "600"))).expect(201);
        // No VM yet: the home agent has no binding for either prefix (read from it: here this machine)
        JsonNode bindings = get("/networks/mobile/bindings");
        assertEquals(bindings.toString(), 2, bindings.size());
        for (JsonNode b : bindings) {
            assertEquals(b.toString(), "not-bound", b.path("details").path("state").asText());
            assertEquals("fd00:a::70", b.path("details").path("homeAgent").asText());
        }

        // iSCSI: a secret of the wrong length is refused by name; a good pool never shows its secret
        assertField(call("POST", "/pools", json("name", "p-bad", "site", "campus-a", "backend", "iscsi",
                "parameters", Map.of("server.executor", "local", "portal", "127.0.0.1:3260", "iqn.prefix",
                        "iqn.2026-11.org.widecloud.it", "chap.user", "wcit", "chap.secret", "short"))),
                400, "parameters.chap.secret");
        call("GET", "/pools/p-bad", null).expect(404);

        for (String f : FEATURES) {
            String out = executeCommand("feature:uninstall " + f, Duration.ofMinutes(2));
            assertFalse(out, out.contains("Error"));
        }
        await(Duration.ofSeconds(60)).until(() -> !get("/drivers").toString().contains("\"nemo\""));
        Response gone = call("GET", "/networks/mobile/bindings", null);
        assertEquals(gone.toString(), 409, gone.status());
        assertTrue(gone.toString(), gone.json().path("detail").asText().contains("nemo"));
        call("GET", "/networks/mobile", null).expect(200);
    }

    private static void assertField(Response r, int status, String field) {
        assertEquals(r.toString(), status, r.status());
        assertEquals(r.toString(), field, r.json().path("field").asText());
    }
}
