package org.widecloud.storage.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class NamesTest {
    @Test
    void backingFilesComeFromIdsAndStayInThePool() {
        assertEquals("/srv/p/5d6c1b7e-0000-4000-8000-000000000001.img",
                Names.backingFile("/srv/p", "5d6c1b7e-0000-4000-8000-000000000001"));
        for (String bad : Arrays.asList("../x", "..", "a/b", "-rf", "A", "x.img", "", null, "a\0b")) {
            ValidationException e = assertThrows(ValidationException.class, () -> Names.backingFile("/srv/p", bad),
                    String.valueOf(bad));
            assertEquals("volumeId", e.field());
        }
    }

    @Test
    void insideMeansAPlainEntryOfTheDirectory() {
        assertTrue(Names.inside("/srv/p", "/srv/p/v.img"));
        for (String f : List.of("/srv/p/../q/v.img", "/srv/pq/v.img", "/srv/p/", "/srv/p/..", "/srv/p/a/v.img",
                "/srv/v.img")) {
            assertFalse(Names.inside("/srv/p", f), f);
        }
    }
}
