package org.widecloud.driver.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuestTypeTest {
    @Test
    void autoIsPvForKernelImagesAndHvmForDiskImages() {
        assertEquals(GuestType.PV, GuestType.AUTO.resolve(true));
        assertEquals(GuestType.HVM, GuestType.AUTO.resolve(false));
    }

    @Test
    void forcedTypesHoldForEveryImage() {
        for (boolean kernel : new boolean[] {true, false}) {
            assertEquals(GuestType.PV, GuestType.PV.resolve(kernel));
            assertEquals(GuestType.HVM, GuestType.HVM.resolve(kernel));
        }
    }

    @Test
    void parsing() {
        assertEquals(GuestType.AUTO, GuestType.parse(null));
        assertEquals(GuestType.AUTO, GuestType.parse(" "));
        assertEquals(GuestType.HVM, GuestType.parse(" HVM "));
        assertEquals(GuestType.PV, GuestType.parse("pv"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GuestType.parse("pvh"));
        assertTrue(e.getMessage().startsWith("guest.type: 'pvh'"), e.getMessage());
    }
}
