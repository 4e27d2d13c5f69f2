package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** The static OpenAPI document and the resource classes cannot drift apart. */
class OpenApiDocumentTest {
    private static final Map<Class<?>, String> VERBS = Map.of(GET.class, "get", POST.class, "post", PUT.class,
            "put", PATCH.class, "patch", DELETE.class, "delete");

    private final JsonNode doc;

    OpenApiDocumentTest() throws Exception {
        doc = new ObjectMapper().readTree(new OpenApiResource().get());
    }

    /** Every class of the bundle with a JAX-RS @Path, found on disk so that a new resource cannot be forgotten. */
    static List<Class<?>> resourceClasses() throws Exception {
        Path dir = Path.of(RestApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/widecloud/rest");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> c = Class.forName("org.widecloud.rest." + name.substring(0, name.length() - 6));
                    if (c.isAnnotationPresent(javax.ws.rs.Path.class)) {
                        found.add(c);
                    }
                }
            }
        }
        return found;
    }

    static String join(String classPath, String methodPath) {
        String p = "/" + classPath.replaceAll("^/|/$", "");
        if (methodPath != null && !methodPath.isEmpty()) {
            p += "/" + methodPath.replaceAll("^/|/$", "");
        }
        return p;
    }

    @Test
    void everyResourceMethodIsDocumented() throws Exception {
        List<Class<?>> classes = resourceClasses();
        assertTrue(classes.size() >= 9, "resource classes found: " + classes);
        int operations = 0;
        for (Class<?> c : classes) {
            String base = c.getAnnotation(javax.ws.rs.Path.class).value();
            for (Method m : c.getDeclaredMethods()) {
                for (Map.Entry<Class<?>, String> verb : VERBS.entrySet()) {
                    if (m.isAnnotationPresent(verb.getKey().asSubclass(java.lang.annotation.Annotation.class))) {
                        javax.ws.rs.Path sub = m.getAnnotation(javax.ws.rs.Path.class);
                        String path = join(base, sub == null ? null : sub.value());
                        JsonNode item = doc.path("paths").path(path);
                        assertFalse(item.isMissingNode(), path + " (" + c.getSimpleName() + "." + m.getName()
                                + ") is missing from openapi.json");
                        assertTrue(item.has(verb.getValue()), verb.getValue() + " " + path + " is not documented");
                        operations++;
                    }
                }
            }
        }
        assertEquals(operationsInDocument(), operations, "the document lists operations no resource has");
    }

    private int operationsInDocument() {
        int n = 0;
        for (Iterator<JsonNode> it = doc.path("paths").elements(); it.hasNext();) {
            JsonNode item = it.next();
            for (String verb : VERBS.values()) {
                n += item.has(verb) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void everyReferenceResolvesAndProblemsAreDescribed() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertFalse(doc.at(ref.substring(1)).isMissingNode(), "dangling " + ref);
        }
        JsonNode problem = doc.at("/components/schemas/Problem/properties");
        for (String field : new String[] {"type", "title", "status", "detail", "field"}) {
            assertNotNull(problem.get(field), field);
        }
        assertEquals("3.0.3", doc.get("openapi").asText());
        assertEquals("basic", doc.at("/components/securitySchemes/basic/scheme").asText());
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.elements().forEachRemaining(child -> collectRefs(child, refs));
    }
}
