package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;

/**
 * The resources, provider, mappers and authentication filter on CXF's JAX-RS runtime over real HTTP (Jetty on
 * 127.0.0.1), wired to the real core services and the real H2 store, logins checked by Karaf's own properties
 * login module. What the whiteboard adds in Karaf (application base, extension selection) is the itests' job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestHttpTest {
    private static final String KARAF = basic("karaf", "karaf");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealCore core;
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        core = new RealCore(dir.resolve("store"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/" + RestApplication.BASE;
        JaasAuthenticator jaas = new JaasAuthenticator("karaf", Set.of(JaasAuthenticatorTest.ROLE_CLASS),
                JaasAuthenticatorTest.karafRealm(JaasAuthenticatorTest.usersFile(dir)));
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setAddress(base);
        factory.setServiceBeans(List.of(new SitesResource(core.sites), new HostsResource(core.hosts),
                new NetworksResource(core.networks), new ImagesResource(core.images),
                new VmsResource(core.vms, core.jobs), new JobsResource(core.jobs), new DriversResource(core.drivers),
                new AuditResource(core.audit), new OpenApiResource()));
        factory.setProviders(List.of(new JsonProvider(), new BasicAuthFilter(jaas, Set.of("admin"), Duration.ofSeconds(60)),
                new CloudExceptionMapper(), new JsonExceptionMapper(), new WebApplicationExceptionMapper(),
                new UnexpectedExceptionMapper(), new DefaultContentTypeFilter()));
        server = factory.create();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
        }
        if (core != null) {
            core.close();
        }
    }

    record Reply(int status, HttpResponse<String> raw) {
        JsonNode json() throws Exception {
            return JSON.readTree(raw.body());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String type() {
            return header("Content-Type");
        }
    }

    private Reply call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        boolean auth = true;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equals("Authorization") && headers[i + 1] == null) {
                auth = false;
            } else {
                b.header(headers[i], headers[i + 1]);
            }
        }
        if (auth && !List.of(headers).contains("Authorization")) {
            b.header("Authorization", KARAF);
        }
        if (body != null && !List.of(headers).contains("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r);
    }

    private static void assertProblem(Reply r, int status, String field) throws Exception {
        assertEquals(status, r.status(), r.raw().body());
        assertTrue(r.type().startsWith(Problem.MEDIA_TYPE), r.type());
        JsonNode p = r.json();
        assertEquals("about:blank", p.get("type").asText());
        assertEquals(status, p.get("status").asInt());
        assertNotNull(p.get("title"));
        if (field != null) {
            assertEquals(field, p.path("field").asText(), r.raw().body());
        }
    }

    @Test
    void everyPathNeedsCredentials() throws Exception {
        for (String path : new String[] {"/sites", "/vms", "/openapi.json", "/no/such/path", ""}) {
            Reply r = call("GET", path, null, "Authorization", null);
            assertProblem(r, 401, null);
            assertEquals("Basic realm=\"widecloud\", charset=\"UTF-8\"", r.header("WWW-Authenticate"));
        }
        assertProblem(call("GET", "/sites", null, "Authorization", basic("karaf", "wrong")), 401, null);
        assertProblem(call("GET", "/sites", null, "Authorization", "Bearer x"), 401, null);
        Reply viewer = call("GET", "/sites", null, "Authorization", basic("watcher", "watcher"));
        assertProblem(viewer, 403, null);
    }

    @Test
    void siteLifecycle() throws Exception {
        Reply created = call("POST", "/sites", "{\"name\":\"campus-a\",\"description\":\"first\",\"extra\":1}");
        assertEquals(201, created.status(), created.raw().body());
        String id = created.json().get("id").asText();
        assertEquals(base + "/sites/" + id, created.header("Location"));
        assertEquals("campus-a", created.json().get("name").asText());
        assertTrue(created.json().get("created").isTextual(), "ISO-8601 date");

        Reply byName = call("GET", "/sites/campus-a", null);
        assertEquals(200, byName.status());
        assertEquals(id, byName.json().get("id").asText());

        Reply page = call("GET", "/sites?offset=0&limit=500", null);
        assertEquals(200, page.status());
        JsonNode p = page.json();
        assertTrue(p.get("total").asLong() >= 1);
        assertEquals(0, p.get("offset").asInt());
        assertEquals(500, p.get("limit").asInt());
        assertTrue(p.get("items").isArray());

        Reply updated = call("PUT", "/sites/" + id, "{\"description\":\"renamed\"}");
        assertEquals(200, updated.status(), updated.raw().body());
        assertEquals("renamed", updated.json().get("description").asText());

        assertProblem(call("POST", "/sites", "{\"name\":\"campus-a\"}"), 409, "name");
        assertEquals(204, call("DELETE", "/sites/" + id, null).status());
        assertProblem(call("GET", "/sites/" + id, null), 404, null);

        Reply audit = call("GET", "/audit?target=" + id, null);
        assertEquals(200, audit.status());
        assertTrue(audit.json().get("total").asLong() >= 3, audit.raw().body());
        assertEquals("karaf", audit.json().get("items").get(0).get("user").asText());
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        assertProblem(call("POST", "/sites", "{\"name\":\"a b\"}"), 400, "name");
        assertProblem(call("POST", "/sites", "{\"name\":\"x;rm\"}"), 400, "name");
        assertProblem(call("POST", "/sites", "{\"name\":5}"), 400, "name");
        assertProblem(call("POST", "/sites", "{\"name\":"), 400, "body");
        assertProblem(call("POST", "/sites", "[]"), 400, "body");
        assertProblem(call("POST", "/sites", ""), 400, "body");
        assertProblem(call("POST", "/sites", null), 400, "body");
        assertProblem(call("PUT", "/sites/whatever", null), 400, "body");
        assertProblem(call("POST", "/vms", "{\"name\":\"v\",\"vcpus\":\"two\"}"), 400, "vcpus");
        assertProblem(call("POST", "/vms", "{\"name\":\"v\",\"nics\":[{\"network\":1}]}"), 400, "nics[0].network");
        assertProblem(call("GET", "/sites?limit=0", null), 400, "limit");
        assertProblem(call("GET", "/sites?limit=x", null), 400, "limit");
        assertProblem(call("GET", "/vms?offset=-1", null), 400, "offset");
        assertProblem(call("POST", "/vms/none/stop?timeout=soon", null), 400, "timeout");
        assertProblem(call("POST", "/hosts", "{\"name\":\"h1\",\"site\":\"nowhere\",\"driver\":\"kvm\","
                + "\"uri\":\"test:///default\"}"), 400, "site");
    }

    @Test
    void runtimeErrorsAreProblemsToo() throws Exception {
        assertProblem(call("GET", "/no/such/path", null), 404, null);
        Reply notAllowed = call("PATCH", "/sites", "{}");
        assertProblem(notAllowed, 405, null);
        assertNotNull(notAllowed.header("Allow"));
        assertProblem(call("POST", "/sites", "name=x", "Content-Type", "application/x-www-form-urlencoded"), 415,
                null);
        assertProblem(call("GET", "/jobs/no-such-job", null), 404, null);
    }

    @Test
    void inventoryAndVms() throws Exception {
        assertEquals(201, call("POST", "/sites", "{\"name\":\"lab\"}").status());
        Reply host = call("POST", "/hosts",
                "{\"name\":\"node1\",\"site\":\"lab\",\"driver\":\"kvm\",\"uri\":\"test:///default\"}");
        assertEquals(201, host.status(), host.raw().body());
        assertEquals("NO_DRIVER", host.json().get("state").asText());
        assertEquals(1, call("GET", "/hosts?site=lab", null).json().get("total").asInt());
        Reply net = call("POST", "/networks", "{\"name\":\"lan\",\"ipv4Prefix\":\"10.1.0.0/24\"}");
        assertEquals(201, net.status(), net.raw().body());
        assertProblem(call("POST", "/networks", "{\"name\":\"bad\",\"ipv4Prefix\":\"10.1.0.0/99\"}"), 400,
                "ipv4Prefix");
        Reply img = call("POST", "/images", "{\"name\":\"tiny\",\"kernel\":\"/boot/vmlinuz\",\"initrd\":\"/boot/initrd\"}");
        assertEquals(201, img.status(), img.raw().body());

        // No hypervisor driver is installed: the create is refused at once, naming what is missing.
        Reply vm = call("POST", "/vms", "{\"name\":\"web\",\"host\":\"node1\",\"vcpus\":1,\"memoryMiB\":64,"
                + "\"image\":\"tiny\",\"nics\":[{\"network\":\"lan\"}]}");
        assertTrue(vm.status() == 409 || vm.status() == 400, vm.raw().body());
        assertTrue(vm.type().startsWith(Problem.MEDIA_TYPE));
        assertEquals(0, call("GET", "/vms", null).json().get("total").asInt(), "nothing left behind");
        assertProblem(call("POST", "/vms/web/start", null), 404, null);

        Reply drivers = call("GET", "/drivers", null);
        assertEquals(200, drivers.status());
        assertTrue(drivers.json().get("items").isArray());
    }

    @Test
    void jobsAreListedAndFiltered() throws Exception {
        Job job = core.jobs.submit("test.noop", "site", "t-1", "karaf", progress -> progress.update(50, "half"),
                () -> { });
        Job done = core.jobs.await(job.id(), Duration.ofSeconds(10));
        assertEquals(JobState.SUCCEEDED, done.state());
        Reply one = call("GET", "/jobs/" + job.id(), null);
        assertEquals(200, one.status());
        JsonNode j = one.json();
        for (String field : new String[] {"id", "type", "state", "progress", "error"}) {
            assertTrue(j.has(field), field);
        }
        assertEquals("SUCCEEDED", j.get("state").asText());
        assertFalse(j.has("done"));
        Reply list = call("GET", "/jobs?target=t-1&state=SUCCEEDED", null);
        assertEquals(1, list.json().get("total").asInt(), list.raw().body());
    }

    @Test
    void openApiIsServed() throws Exception {
        Reply r = call("GET", "/openapi.json", null);
        assertEquals(200, r.status());
        assertTrue(r.type().startsWith("application/json"), r.type());
        assertEquals("3.0.3", r.json().get("openapi").asText());
    }
}
