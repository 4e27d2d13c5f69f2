package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.ValidationException;

class ParamsTest {
    @Test
    void pagingDefaults() {
        assertEquals(new PageRequest(0, PageRequest.DEFAULT_LIMIT), Params.page(null, null));
        assertEquals(new PageRequest(20, 10), Params.page("20", "10"));
        assertEquals(new PageRequest(0, PageRequest.DEFAULT_LIMIT), Params.page("", ""));
    }

    @Test
    void badPagingNamesTheParameter() {
        assertEquals("offset", assertThrows(ValidationException.class, () -> Params.page("-1", null)).field());
        assertEquals("offset", assertThrows(ValidationException.class, () -> Params.page("x", null)).field());
        assertEquals("limit", assertThrows(ValidationException.class, () -> Params.page(null, "0")).field());
        assertEquals("limit", assertThrows(ValidationException.class, () -> Params.page(null, "1001")).field());
        assertEquals("limit", assertThrows(ValidationException.class, () -> Params.page(null, "1e3")).field());
        assertEquals("limit",
                assertThrows(ValidationException.class, () -> Params.page(null, "99999999999")).field());
    }

    @Test
    void seconds() {
        assertNull(Params.seconds("timeout", null));
        assertEquals(Duration.ofSeconds(30), Params.seconds("timeout", "30"));
        assertEquals("timeout", assertThrows(ValidationException.class, () -> Params.seconds("timeout", "-5")).field());
        assertEquals("timeout", assertThrows(ValidationException.class, () -> Params.seconds("timeout", "5s")).field());
    }

    @Test
    void missingBodyNamesTheBody() {
        assertEquals("body", assertThrows(ValidationException.class, () -> Params.body(null)).field());
    }
}
