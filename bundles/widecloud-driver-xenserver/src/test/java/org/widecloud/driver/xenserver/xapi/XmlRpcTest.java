package org.widecloud.driver.xenserver.xapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class XmlRpcTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void callIsTheXmlXapiExpects() {
        String xml = text(XmlRpc.call("session.login_with_password", List.of("root", "pw", "2.6", "widecloud")));
        assertTrue(xml.contains("<methodCall><methodName>session.login_with_password</methodName><params>"
                + "<param><value><string>root</string></value></param>"), xml);
        assertTrue(xml.endsWith("<param><value><string>widecloud</string></value></param></params></methodCall>"), xml);
    }

    @Test
    void everyTypeRoundTrips() {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("s", "text");
        struct.put("i", 42L);
        struct.put("neg", -7L);
        struct.put("b", true);
        struct.put("f", false);
        struct.put("d", 0.25);
        struct.put("t", Instant.parse("2024-03-01T10:20:30Z"));
        struct.put("a", List.of("x", 1L, List.of()));
        struct.put("m", Map.of("inner", "v"));
        struct.put("empty", "");
        Object back = XmlRpc.parseResponse(XmlRpc.response(struct));
        assertEquals(struct, back);
    }

    @Test
    void userStringsAreEscapedNotInterpreted() {
        String nasty = "a<b>&c\"d'e]]></string><int>1</int>";
        Object back = XmlRpc.parseCall(XmlRpc.call("VM.set_name_label", List.of("s", nasty))).getValue().get(1);
        assertEquals(nasty, back);
        String xml = text(XmlRpc.call("x", List.of(nasty)));
        assertFalse(xml.contains("<b>"), xml);
    }

    @Test
    void untypedValueIsAStringAndXapiSuccessParses() {
        // As XAPI answers: Status and Value without <string>, int64 as strings.
        String xml = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
                + "<member><name>Status</name><value>Success</value></member>"
                + "<member><name>Value</name><value><struct>"
                + "<member><name>memory_total</name><value>68719476736</value></member>"
                + "<member><name>live</name><value><boolean>1</boolean></value></member>"
                + "<member><name>cpus</name><value><i4>8</i4></value></member>"
                + "<member><name>last_updated</name><value><dateTime.iso8601>20240301T10:20:30Z</dateTime.iso8601></value></member>"
                + "</struct></value></member></struct></value></param></params></methodResponse>";
        Map<?, ?> r = (Map<?, ?>) XmlRpc.parseResponse(bytes(xml));
        assertEquals("Success", r.get("Status"));
        Map<?, ?> v = (Map<?, ?>) r.get("Value");
        assertEquals("68719476736", v.get("memory_total"));
        assertEquals(true, v.get("live"));
        assertEquals(8L, v.get("cpus"));
        assertEquals(Instant.parse("2024-03-01T10:20:30Z"), v.get("last_updated"));
    }

    @Test
    void xapiFailureCarriesItsDescription() {
        String xml = "<methodResponse><params><param><value><struct>"
                + "<member><name>Status</name><value>Failure</value></member>"
                + "<member><name>ErrorDescription</name><value><array><data>"
                + "<value>VM_BAD_POWER_STATE</value><value>OpaqueRef:1</value><value>halted</value><value>running</value>"
                + "</data></array></value></member></struct></value></param></params></methodResponse>";
        Map<?, ?> r = (Map<?, ?>) XmlRpc.parseResponse(bytes(xml));
        XapiException e = new XapiException(((List<?>) r.get("ErrorDescription")).stream().map(String::valueOf).toList());
        assertEquals("VM_BAD_POWER_STATE", e.code());
        assertEquals(List.of("OpaqueRef:1", "halted", "running"), e.params());
        assertEquals("VM_BAD_POWER_STATE: the VM is running but the operation needs it halted", e.getMessage());
    }

    @Test
    void faultBecomesXmlRpcFault() {
        String xml = "<methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><int>-1</int></value></member>"
                + "<member><name>faultString</name><value><string>bad</string></value></member>"
                + "</struct></value></fault></methodResponse>";
        XmlRpcFault f = assertThrows(XmlRpcFault.class, () -> XmlRpc.parseResponse(bytes(xml)));
        assertEquals("-1", f.code());
    }

    @Test
    void doctypesAndEntitiesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<methodResponse><params><param><value>&x;</value></param></params></methodResponse>";
        assertThrows(IllegalArgumentException.class, () -> XmlRpc.parseResponse(bytes(xxe)));
    }

    @Test
    void malformedInputIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> XmlRpc.parseResponse(bytes("<methodResponse><params>")));
        assertThrows(IllegalArgumentException.class, () -> XmlRpc.parseResponse(bytes("<html>502</html>")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XmlRpc.parseResponse(bytes(
                "<methodResponse><params><param><value><blob>1</blob></value></param></params></methodResponse>")));
        assertTrue(e.getMessage().contains("blob"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> XmlRpc.parseResponse(bytes(
                "<methodResponse><params><param><value><boolean>yes</boolean></value></param></params></methodResponse>")));
    }

    @Test
    void int64MustTravelAsString() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XmlRpc.call("x", List.of(1L << 40)));
        assertTrue(e.getMessage().contains("as a string"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> XmlRpc.call("x", java.util.Arrays.asList((Object) null)));
    }
}
