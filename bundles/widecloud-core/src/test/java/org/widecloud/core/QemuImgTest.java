package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading qemu-img's JSON without a JSON library: the shapes it prints, escapes, and broken input. */
class QemuImgTest {
    @Test
    void infoOfAVmdkWithExtentsAndOfAnOverlay() {
        QemuImg.Info vmdk = QemuImg.parse("""
                {"virtual-size": 10485760, "filename": "/srv/a.vmdk", "format": "vmdk", "dirty-flag": false,
                 "format-specific": {"type": "vmdk", "data": {"cid": 4284901620, "extents": [
                   {"virtual-size": 10485760, "filename": "/srv/a-flat.vmdk", "format": ""}]}}}
                """);
        assertEquals(new QemuImg.Info("vmdk", 10485760, null, List.of("/srv/a-flat.vmdk")), vmdk);
        QemuImg.Info overlay = QemuImg.parse("{\"virtual-size\":1073741824,\"format\":\"qcow2\","
                + "\"backing-filename\":\"/etc/\\\"x\\u0041\\\\y\",\"cluster-size\":65536}");
        assertEquals("/etc/\"xA\\y", overlay.backingFile());
        assertEquals(List.of(), overlay.extents());
    }

    @Test
    void valuesOfEveryKind() {
        assertEquals(Map.of("a", List.of(1L, -2.5e3, true, "t\n")),
                JsonReader.parse(" {\"a\" : [1, -2.5e3, true, \"t\\n\"]} "));
        assertEquals(Map.of(), JsonReader.parse("{}"));
        assertNull(JsonReader.parse("null"));
    }

    @Test
    void brokenJsonIsRefused() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":1} x", "\"open", "tru", "{1:2}"}) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
    }
}
