package org.widecloud.shell.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.ValidationException;

class SizesTest {
    @Test
    void bytesAndBinarySuffixes() {
        assertNull(Sizes.parse("size", null));
        assertEquals(1048576L, Sizes.parse("size", "1048576"));
        assertEquals(512L << 20, Sizes.parse("size", "512M"));
        assertEquals(10L << 30, Sizes.parse("size", "10G"));
        assertEquals(10L << 30, Sizes.parse("size", "10 GiB"));
        assertEquals(2L << 40, Sizes.parse("size", "2t"));
        assertEquals(4096L, Sizes.parse("size", "4K"));
    }

    @Test
    void anythingElseNamesTheField() {
        for (String bad : new String[] {"", "-1G", "1.5G", "ten", "10X", "99999999999T", "1G; reboot"}) {
            ValidationException e = assertThrows(ValidationException.class, () -> Sizes.parse("size", bad), bad);
            assertEquals("size", e.field());
        }
    }
}
