package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.DriverMissingException;
import org.widecloud.api.service.ValidationException;

class ProblemMappingTest {

    private static Problem problem(Response r) {
        assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        return (Problem) r.getEntity();
    }

    @Test
    void cloudExceptionsKeepStatusTitleAndField() {
        CloudExceptionMapper mapper = new CloudExceptionMapper();
        Problem p = problem(mapper.toResponse(new ValidationException("name", "must not contain spaces")));
        assertEquals(new Problem("about:blank", "Invalid input", 400, "name: must not contain spaces", "name"), p);

        Response notFound = mapper.toResponse(new org.widecloud.api.service.NotFoundException("site", "site", "x"));
        assertEquals(404, notFound.getStatus());
        assertEquals("site", problem(notFound).field());

        assertEquals(409, mapper.toResponse(new ConflictException("name", "taken")).getStatus());
        Problem missing = problem(mapper.toResponse(new DriverMissingException("hypervisor", "xen")));
        assertEquals(409, missing.status());
        assertEquals("no hypervisor driver 'xen' installed", missing.detail());
        assertNull(missing.field());
        assertEquals(502, mapper.toResponse(new BackendException("libvirt said no", null)).getStatus());
    }

    @Test
    void aStoreOutageIs503WithRetryAfterAndNoInternals() {
        Response r = new StoreExceptionMapper().toResponse(
                new org.widecloud.api.store.StoreException("Connection refused: jdbc:postgresql://db/secret", null));
        assertEquals(503, r.getStatus());
        assertEquals("5", r.getHeaderString("Retry-After"));
        Problem p = problem(r);
        assertFalse(p.detail().contains("jdbc"), p.detail());
        assertTrue(p.detail().contains("store is unavailable"), p.detail());
    }

    @Test
    void runtimeErrorsKeepStatusAndHeaders() {
        WebApplicationExceptionMapper mapper = new WebApplicationExceptionMapper();
        Response r = mapper.toResponse(new NotAllowedException("GET", new String[] {"POST"}));
        assertEquals(405, r.getStatus());
        assertTrue(r.getHeaderString("Allow").contains("GET"));
        assertEquals("Method Not Allowed", problem(r).title());

        assertEquals(404, problem(mapper.toResponse(new NotFoundException())).status());
        assertEquals(415, problem(mapper.toResponse(new NotSupportedException())).status());
    }

    @Test
    void unexpectedErrorsAre500WithoutTheirMessage() {
        Response r = new UnexpectedExceptionMapper().toResponse(new IllegalStateException("secret internals"));
        Problem p = problem(r);
        assertEquals(500, p.status());
        assertFalse(p.detail().contains("secret"), p.detail());
        assertTrue(p.detail().contains("incident"), p.detail());
    }
}
