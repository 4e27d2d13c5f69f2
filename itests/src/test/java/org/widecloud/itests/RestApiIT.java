package org.widecloud.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * The REST API of the booted distribution, on libvirt's test hypervisor ({@code test:///default}): the
 * distribution itself (features, loopback ports), authentication on every path, CRUD of every kind, VM lifecycle
 * through jobs, bad input (nothing created) and paging.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestApiIT extends WidecloudTestSupport {

    private static final String TEST_URI = "test:///default";

    @Test
    public void distributionBootsWithEveryFeatureAndLoopbackPorts() throws Exception {
        FeaturesService features = service(FeaturesService.class, null, BOOT_TIMEOUT);
        for (String f : List.of("widecloud-core", "widecloud-rest", "widecloud-shell", "widecloud-driver-kvm")) {
            assertTrue(f + " installed", features.isInstalled(features.getFeature(f)));
        }
        await(BOOT_TIMEOUT).until(() -> call("GET", "/drivers", null).status() == 200);
        JsonNode drivers = get("/drivers");
        assertTrue("kvm driver listed: " + drivers, drivers.toString().contains("kvm"));
        assertTrue(call("GET", "/openapi.json", null).expect(200).json().has("openapi"));
        // CXF's shared destination registry is off (etc/system.properties): the API is only under /api/v1.
        HttpResponse<String> root = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/sites")).header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertNotEquals("/sites outside /api/v1: " + root.body(), 200, root.statusCode());
        String port = ":" + httpPort() + " ";
        List<String> listening = run(Duration.ofSeconds(10), "ss", "-Htln").lines()
                .filter(l -> l.contains(port)).toList();
        assertTrue("REST listens: " + listening, !listening.isEmpty());
        assertTrue("REST bound to 127.0.0.1 only: " + listening, listening.stream()
                .allMatch(l -> l.contains("127.0.0.1" + port) || l.contains("127.0.0.1]" + port)));
    }

    @Test
    public void everyPathNeedsCredentials() {
        awaitApi();
        call("POST", "/sites", json("name", "auth-site")).expect(201);
        List<String[]> requests = List.of(
                new String[] {"GET", "/sites"}, new String[] {"GET", "/sites/auth-site"}, new String[] {"GET", "/hosts"},
                new String[] {"GET", "/networks"}, new String[] {"GET", "/images"}, new String[] {"GET", "/vms"},
                new String[] {"GET", "/jobs"}, new String[] {"GET", "/drivers"}, new String[] {"GET", "/audit"},
                new String[] {"GET", "/openapi.json"}, new String[] {"GET", "/no-such-path"},
                new String[] {"POST", "/sites"}, new String[] {"POST", "/vms/x/start"},
                new String[] {"PUT", "/sites/auth-site"}, new String[] {"DELETE", "/sites/auth-site"});
        for (String[] r : requests) {
            Response none = call(r[0], r[1], r[0].equals("GET") || r[0].equals("DELETE") ? null : "{}", null, null, null);
            assertEquals(none.toString(), 401, none.status());
            assertTrue(none + ": WWW-Authenticate", none.wwwAuthenticate() != null
                    && none.wwwAuthenticate().startsWith("Basic"));
            Response wrong = call(r[0], r[1], null, USER, "not-the-password", null);
            assertEquals(wrong.toString(), 401, wrong.status());
        }
        assertEquals("nothing was deleted", "auth-site", get("/sites/auth-site").get("name").asText());
    }

    @Test
    public void crudOfEveryKindAndVmLifecycleThroughJobs() {
        awaitApi();
        // site
        Response site = call("POST", "/sites", json("name", "rest-site", "description", "made by RestApiIT")).expect(201);
        String siteId = site.json().get("id").asText();
        assertTrue(site.location(), site.location().endsWith("/sites/" + siteId));
        assertEquals("rest-site", get("/sites/" + siteId).get("name").asText());
        JsonNode changed = call("PUT", "/sites/rest-site", json("description", "changed")).expect(200).json();
        assertEquals("changed", changed.get("description").asText());
        assertEquals("changed", get("/sites/rest-site").get("description").asText());

        // host on libvirt's test hypervisor
        Response host = call("POST", "/hosts",
                json("name", "rest-host", "site", "rest-site", "driver", "kvm", "uri", TEST_URI)).expect(201);
        assertEquals(siteId, host.json().get("site").asText());
        await(Duration.ofSeconds(30)).until(() -> "UP".equals(get("/hosts/rest-host").get("state").asText()));

        // network and image
        call("POST", "/networks", json("name", "rest-net", "ipv4Prefix", "10.20.0.0/24", "ipv6Prefix", "fd00:20::/64"))
                .expect(201);
        assertEquals("10.20.0.0/24", get("/networks/rest-net").get("ipv4Prefix").asText());
        call("PUT", "/networks/rest-net", json("bridge", "br-itest")).expect(200);
        assertEquals("br-itest", get("/networks/rest-net").get("bridge").asText());
        call("POST", "/images", json("name", "rest-img", "kernel", "/var/tmp/widecloud-itest/vmlinuz", "initrd",
                "/var/tmp/widecloud-itest/initrd.gz", "cmdline", "console=ttyS0")).expect(201);
        call("PUT", "/images/rest-img", json("cmdline", "console=ttyS0 quiet")).expect(200);
        assertEquals("console=ttyS0 quiet", get("/images/rest-img").get("cmdline").asText());

        // VM: create (job), start, reboot, stop, start, destroy, delete
        String vm = json("name", "rest-vm", "host", "rest-host", "vcpus", 1, "memoryMiB", 64, "image", "rest-img",
                "nics", List.of(Map.of("network", "rest-net", "ipv4", "10.20.0.5", "ipv6", "fd00:20::5")));
        JsonNode created = succeeded("POST", "/vms", vm);
        assertEquals("vm.create", created.get("type").asText());
        JsonNode v = get("/vms/rest-vm");
        assertEquals("DEFINED", v.get("state").asText());
        assertEquals(host.json().get("id").asText(), v.get("host").asText());
        assertEquals("10.20.0.5", v.get("nics").get(0).get("ipv4").asText());
        assertEquals(created.get("target").asText(), v.get("id").asText());
        long version = v.get("version").asLong();
        JsonNode resized = call("PUT", "/vms/rest-vm", json("vcpus", 2, "version", version)).expect(200).json();
        assertEquals(2, resized.get("vcpus").asInt());
        assertProblem(call("PUT", "/vms/rest-vm", json("vcpus", 1, "version", version)), 409, null);
        assertEquals("a stale update changes nothing", 2, get("/vms/rest-vm").get("vcpus").asInt());

        succeeded("POST", "/vms/rest-vm/start", null);
        assertEquals("RUNNING", get("/vms/rest-vm").get("state").asText());
        succeeded("POST", "/vms/rest-vm/reboot", null);
        assertEquals("RUNNING", get("/vms/rest-vm").get("state").asText());
        succeeded("POST", "/vms/rest-vm/stop?timeout=5", null);
        assertEquals("STOPPED", get("/vms/rest-vm").get("state").asText());
        succeeded("POST", "/vms/rest-vm/start", null);
        succeeded("POST", "/vms/rest-vm/destroy", null);
        assertEquals("STOPPED", get("/vms/rest-vm").get("state").asText());

        // Prefer: wait answers a finished job at once
        Response waited = call("POST", "/vms/rest-vm/start", null, USER, PASSWORD, "wait=30").expect(200);
        assertEquals("SUCCEEDED", waited.json().get("state").asText());
        succeeded("POST", "/vms/rest-vm/destroy", null);

        // in use: refused, nothing changed
        assertProblem(call("DELETE", "/networks/rest-net", null), 409, null);
        assertProblem(call("DELETE", "/sites/rest-site", null), 409, null);

        succeeded("DELETE", "/vms/rest-vm", null);
        call("GET", "/vms/rest-vm", null).expect(404);
        call("DELETE", "/images/rest-img", null).expect(204);
        call("DELETE", "/networks/rest-net", null).expect(204);
        call("DELETE", "/hosts/rest-host", null).expect(204);
        call("DELETE", "/sites/rest-site", null).expect(204);
        for (String gone : List.of("/images/rest-img", "/networks/rest-net", "/hosts/rest-host", "/sites/rest-site")) {
            assertProblem(call("GET", gone, null), 404, null);
        }
        JsonNode audit = get("/audit?limit=1000");
        assertTrue("audit names the user and the VM: " + audit,
                audit.toString().contains("karaf") && audit.toString().contains("vm.create"));
    }

    @Test
    public void badInputIsRefusedNamingTheFieldAndCreatesNothing() {
        awaitApi();
        call("POST", "/sites", json("name", "bad-site")).expect(201);
        call("POST", "/hosts", json("name", "bad-host", "site", "bad-site", "driver", "kvm", "uri", TEST_URI))
                .expect(201);
        await(Duration.ofSeconds(30)).until(() -> "UP".equals(get("/hosts/bad-host").get("state").asText()));
        call("POST", "/networks", json("name", "bad-net", "ipv4Prefix", "10.30.0.0/24")).expect(201);
        call("POST", "/images", json("name", "bad-img", "path", sampleDisk())).expect(201);
        long sites = total("/sites");
        long vms = total("/vms");

        List<String> badNames = new ArrayList<>(List.of("", "two words", "quo\"te", "a<b", "a&b", "a;b", "$(reboot)",
                "../etc", "x".repeat(65)));
        for (String name : badNames) {
            assertProblem(call("POST", "/sites", json("name", name)), 400, "name");
            assertProblem(call("POST", "/vms", vmBody(name, 1, 64, "bad-img", "10.30.0.9")), 400, "name");
        }
        assertProblem(call("POST", "/sites", "{}"), 400, "name");
        assertProblem(call("POST", "/sites", "{\"name\": "), 400, null);
        assertProblem(call("POST", "/sites", "{\"name\": {\"nested\": 1}}"), 400, "name");
        assertProblem(call("POST", "/vms", "{\"name\": \"v\", \"vcpus\": \"many\"}"), 400, "vcpus");
        assertProblem(call("POST", "/vms", null), 400, null);
        assertProblem(call("POST", "/sites", json("name", "bad-site")), 409, "name");

        assertProblem(call("POST", "/vms", vmBody("bad-vm", 0, 64, "bad-img", null)), 400, "vcpus");
        assertProblem(call("POST", "/vms", vmBody("bad-vm", -1, 64, "bad-img", null)), 400, "vcpus");
        assertProblem(call("POST", "/vms", vmBody("bad-vm", 1, 0, "bad-img", null)), 400, "memoryMiB");
        assertProblem(call("POST", "/vms", vmBody("bad-vm", 100000, 64, "bad-img", null)), 400, "vcpus");
        Response unknownImage = call("POST", "/vms", vmBody("bad-vm", 1, 64, "no-such-image", null));
        assertTrue(unknownImage.toString(), unknownImage.status() == 400 || unknownImage.status() == 404);
        assertEquals("image", unknownImage.json().path("field").asText());
        Response outside = call("POST", "/vms", vmBody("bad-vm", 1, 64, "bad-img", "10.99.0.5"));
        assertEquals(outside.toString(), 400, outside.status());
        assertTrue(outside.toString(), outside.json().path("field").asText().contains("ipv4"));
        Response unknownHost = call("POST", "/vms", json("name", "bad-vm", "host", "no-such-host", "vcpus", 1,
                "memoryMiB", 64, "image", "bad-img", "nics", List.of()));
        assertTrue(unknownHost.toString(), unknownHost.status() == 400 || unknownHost.status() == 404);
        assertEquals("host", unknownHost.json().path("field").asText());

        // an address in use: the first VM takes it, the second is refused with 409
        succeeded("POST", "/vms", vmBody("bad-vm-1", 1, 64, "bad-img", "10.30.0.9"));
        long withOne = total("/vms");
        Response taken = call("POST", "/vms", vmBody("bad-vm-2", 1, 64, "bad-img", "10.30.0.9"));
        assertEquals(taken.toString(), 409, taken.status());
        assertTrue(taken.toString(), taken.json().path("field").asText().contains("ipv4"));
        assertProblem(call("POST", "/vms", vmBody("bad-vm-1", 1, 64, "bad-img", null)), 409, "name");

        assertEquals("no site was created by a refused request", sites, total("/sites"));
        assertEquals("no VM was created by a refused request", vms + 1, withOne);
        assertEquals(withOne, total("/vms"));
        assertProblem(call("GET", "/vms/no-such-vm", null), 404, null);
        assertProblem(call("POST", "/vms/no-such-vm/start", null), 404, null);
        assertProblem(call("GET", "/no-such-collection", null), 404, null);
        succeeded("DELETE", "/vms/bad-vm-1", null);
        // libvirt's test hypervisor is one host per URI: leave it to the other tests
        for (String path : List.of("/images/bad-img", "/networks/bad-net", "/hosts/bad-host", "/sites/bad-site")) {
            call("DELETE", path, null).expect(204);
        }
    }

    @Test
    public void listsArePaged() {
        awaitApi();
        for (int i = 0; i < 5; i++) {
            call("POST", "/networks", json("name", "page-net-" + i)).expect(201);
        }
        long total = total("/networks");
        assertTrue(total >= 5);
        JsonNode page = get("/networks?offset=1&limit=2");
        assertEquals(2, page.get("items").size());
        assertEquals(total, page.get("total").asLong());
        JsonNode all = get("/networks?offset=0&limit=1000");
        assertEquals(total, all.get("items").size());
        assertEquals(all.get("items").get(1).get("id"), page.get("items").get(0).get("id"));
        assertEquals(all.get("items").get(2).get("id"), page.get("items").get(1).get("id"));
        assertEquals(0, get("/networks?offset=" + total + "&limit=10").get("items").size());
        assertProblem(call("GET", "/networks?limit=-1", null), 400, "limit");
        assertProblem(call("GET", "/networks?offset=abc", null), 400, "offset");
    }

    @Test
    public void storagePoolsVolumesAndImageImport() {
        awaitApi();
        call("POST", "/sites", json("name", "st-site")).expect(201);
        call("POST", "/hosts", json("name", "st-host", "site", "st-site", "driver", "kvm", "uri", TEST_URI))
                .expect(201);
        await(Duration.ofSeconds(30)).until(() -> "UP".equals(get("/hosts/st-host").get("state").asText()));
        await(Duration.ofSeconds(30)).until(() -> get("/drivers").toString().contains("\"local\""));

        // The booted local backend: a libvirt dir pool on the site's host (in memory on the test hypervisor).
        JsonNode pool = call("POST", "/pools", json("name", "st-pool", "site", "st-site", "backend", "local",
                "parameters", Map.of("path", "/var/tmp/widecloud-itest/pools/st-pool"))).expect(201).json();
        assertEquals("ACTIVE", pool.get("state").asText());
        assertProblem(call("POST", "/pools", json("name", "st-bad", "site", "st-site", "backend", "local",
                "parameters", Map.of("path", "/srv/../etc"))), 400, "parameters.path");
        call("POST", "/volumes", json("name", "st-vol", "pool", "st-pool", "host", "st-host", "sizeBytes", 1 << 20))
                .expect(201);
        assertProblem(call("POST", "/volumes", json("name", "st-neg", "pool", "st-pool", "host", "st-host",
                "sizeBytes", -1)), 400, "sizeBytes");

        // P2V import: a qcow2 made with qemu-img, converted into the controller's image folder.
        JsonNode imported = call("POST", "/images/import", json("name", "st-import", "path", sampleDisk()))
                .expect(201).json();
        assertEquals("qcow2", imported.get("format").asText());
        assertTrue(imported.toString(), imported.get("checksum").asText().startsWith("sha256:"));
        assertTrue(imported.toString(), imported.get("path").asText().endsWith("/images/"
                + imported.get("id").asText() + ".qcow2"));
        assertProblem(call("POST", "/images/import", json("name", "st-gone", "path", "/var/tmp/widecloud-itest/none")),
                400, "path");

        // A VM with its own (blank, kernel-booted) root volume in the pool and the volume attached after it.
        call("POST", "/images", json("name", "st-kernel", "kernel", "/var/tmp/widecloud-itest/vmlinuz", "initrd",
                "/var/tmp/widecloud-itest/initrd.gz")).expect(201);
        call("POST", "/vms", json("name", "st-vm", "host", "st-host", "vcpus", 1, "memoryMiB", 64, "image",
                "st-kernel", "pool", "st-pool", "diskGiB", 1, "volumes", List.of("st-vol"), "nics", List.of()),
                USER, PASSWORD, "wait=60").expect(201);
        assertEquals(2, get("/volumes?vm=st-vm").get("total").asInt());
        assertProblem(call("DELETE", "/volumes/st-vol", null), 409, null);
        call("DELETE", "/vms/st-vm", null, USER, PASSWORD, "wait=60").expect(200);
        assertEquals("the root volume went with its VM", 1, get("/volumes?pool=st-pool").get("total").asInt());
        call("DELETE", "/volumes/st-vol", null).expect(204);
        call("DELETE", "/pools/st-pool", null).expect(204);
        call("DELETE", "/images/st-import", null).expect(204);
        // libvirt's test hypervisor is one host per URI: the other tests make their own.
        call("DELETE", "/hosts/st-host", null).expect(204);
        call("DELETE", "/sites/st-site", null).expect(204);
    }

    // ------------------------------------------------------------------ helpers

    private void awaitApi() {
        await(BOOT_TIMEOUT).until(() -> call("GET", "/sites", null).status() == 200);
    }

    private long total(String path) {
        return get(path + (path.contains("?") ? "&" : "?") + "limit=1").get("total").asLong();
    }

    private static String vmBody(String name, int vcpus, long memory, String image, String ipv4) {
        Map<String, Object> nic = ipv4 == null ? Map.of("network", "bad-net") : Map.of("network", "bad-net", "ipv4", ipv4);
        return json("name", name, "host", "bad-host", "vcpus", vcpus, "memoryMiB", memory, "image", image, "nics",
                List.of(nic));
    }

    /** An error answer: status, problem+json body, and the field it names (when {@code field} is not null). */
    private static void assertProblem(Response r, int status, String field) {
        assertEquals(r.toString(), status, r.status());
        assertTrue(r + ": content type " + r.contentType(), r.contentType().startsWith("application/problem+json"));
        JsonNode p = r.json();
        assertEquals(r.toString(), status, p.path("status").asInt());
        assertFalse(r + ": title", p.path("title").asText().isEmpty());
        if (field != null) {
            assertEquals(r.toString(), field, p.path("field").asText());
        }
    }
}
