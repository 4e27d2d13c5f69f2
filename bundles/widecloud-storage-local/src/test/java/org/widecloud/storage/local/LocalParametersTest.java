package org.widecloud.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class LocalParametersTest {
    @Test
    void defaultPathIsUnderThePoolsRootByPoolName() {
        LocalParameters p = LocalParameters.of("site-a.local", Map.of());
        assertEquals("/var/lib/widecloud/pools/site-a.local", p.path());
        assertFalse(p.explicitPath());
    }

    @Test
    void givenPathIsKept() {
        LocalParameters p = LocalParameters.of("x", Map.of("path", "/srv/wide cloud/pool-1"));
        assertEquals("/srv/wide cloud/pool-1", p.path());
        assertTrue(p.explicitPath());
    }

    @Test
    void badPathsAndKeysAreRefusedNamingTheParameter() {
        for (String bad : new String[] {"relative/dir", "", " ", "/srv/../etc", "/srv/pools/..", "/srv/./p", "/srv//p",
            "/srv/p/", "/", "/srv/p\n", "/srv/\u0000p"}) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> LocalParameters.validate(Map.of("path", bad)), bad);
            assertEquals("parameters.path", e.field(), bad);
            assertEquals(400, e.status());
        }
        ValidationException e = assertThrows(ValidationException.class,
                () -> LocalParameters.validate(Map.of("pth", "/srv/p")));
        assertEquals("parameters.pth", e.field());
    }

    @Test
    void aPoolNameThatCannotNameADirectoryNeedsAPath() {
        assertEquals("name", assertThrows(ValidationException.class, () -> LocalParameters.of("..", Map.of())).field());
        assertEquals("name", assertThrows(ValidationException.class, () -> LocalParameters.of("a/b", Map.of())).field());
        assertEquals("/p", LocalParameters.of("a/b", Map.of("path", "/p")).path());
    }
}
