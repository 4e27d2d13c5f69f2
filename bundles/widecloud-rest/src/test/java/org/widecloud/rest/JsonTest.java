package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;
import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;

class JsonTest {
    private final ObjectMapper mapper = Json.newMapper();

    private ValidationException error(String json, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> mapper.readValue(json, type));
        return JsonErrors.toValidation(e);
    }

    @Test
    void readsRequestsAndIgnoresUnknownFields() throws Exception {
        Requests.VmCreate vm = mapper.readValue("""
                {"name":"a","vcpus":2,"memoryMiB":128,"image":"tiny","nics":[{"network":"lan","ipv4":"10.0.0.5"}],
                 "colour":"blue","extra":{"x":[1,2]}}""", Requests.VmCreate.class);
        assertEquals(new Requests.VmCreate("a", null, null, 2, 128L, "tiny",
                List.of(new Requests.NicRequest("lan", "10.0.0.5", null, null)), null), vm);
    }

    @Test
    void wrongTypesNameTheField() {
        assertEquals("vcpus", error("{\"name\":\"a\",\"vcpus\":\"two\"}", Requests.VmCreate.class).field());
        assertEquals("vcpus", error("{\"name\":\"a\",\"vcpus\":\"2\"}", Requests.VmCreate.class).field());
        assertEquals("vcpus", error("{\"name\":\"a\",\"vcpus\":1.5}", Requests.VmCreate.class).field());
        assertEquals("memoryMiB", error("{\"memoryMiB\":true}", Requests.VmCreate.class).field());
        assertEquals("name", error("{\"name\":5}", Requests.SiteCreate.class).field());
        assertEquals("name", error("{\"name\":{\"a\":1}}", Requests.SiteCreate.class).field());
        assertEquals("start", error("{\"start\":\"yes\"}", Requests.VmCreate.class).field());
        assertEquals("nics", error("{\"nics\":\"lan\"}", Requests.VmCreate.class).field());
        assertEquals("nics[1].ipv4", error("{\"nics\":[{\"network\":\"a\"},{\"network\":\"b\",\"ipv4\":[1]}]}",
                Requests.VmCreate.class).field());
        assertEquals("vcpus", error("{\"vcpus\":99999999999}", Requests.VmCreate.class).field());
        ValidationException v = error("{\"vcpus\":\"two\"}", Requests.VmCreate.class);
        assertEquals("vcpus: wrong type, expected an integer", v.getMessage());
    }

    @Test
    void malformedJsonIsABodyError() {
        for (String bad : new String[] {"{", "{\"name\":}", "[1,2", "{\"name\":\"a\"} trailing", "nonsense",
                "{\"name\":\"a\",\"name\":\"b\"}"}) {
            ValidationException v = error(bad, Requests.SiteCreate.class);
            assertEquals("body", v.field(), bad);
            assertEquals(400, v.status());
        }
        assertEquals("body", error("[{\"name\":\"a\"}]", Requests.SiteCreate.class).field());
        assertFalse(error("[1]", Requests.SiteCreate.class).getMessage().contains("java"));
    }

    @Test
    void writesRecordsByComponentNameAndDatesAsIso() throws Exception {
        Instant t = Instant.parse("2026-11-25T13:00:00Z");
        JsonNode job = mapper.valueToTree(new Job("j1", "vm.create", "vm", "v1", JobState.RUNNING, 40, "define",
                null, "karaf", t, t, 3));
        assertEquals("2026-11-25T13:00:00Z", job.get("created").asText());
        assertEquals("RUNNING", job.get("state").asText());
        assertEquals(40, job.get("progress").asInt());
        assertTrue(job.has("error"));
        assertFalse(job.has("done"), job.toString());

        JsonNode vm = mapper.valueToTree(new Vm("v1", "web", "karaf", "h1", 1, 128, "img",
                List.of(new Nic("n1", "10.0.0.2", null, "52:54:00:00:00:01")), VmState.DEFINED, null, t, t, 0));
        assertEquals("h1", vm.get("host").asText());
        assertEquals("DEFINED", vm.get("state").asText());
        assertEquals("10.0.0.2", vm.get("nics").get(0).get("ipv4").asText());
        assertEquals(128, vm.get("memoryMiB").asInt());
    }
}
