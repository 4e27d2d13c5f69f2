package org.widecloud.shell.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.service.Requests.NicRequest;
import org.widecloud.api.service.ValidationException;

class NicOptionTest {

    @Test
    void networkAloneOrWithAddressesAndMac() {
        assertEquals(new NicRequest("net1", null, null, null), NicOption.parse("net1"));
        assertEquals(new NicRequest("net1", "10.0.0.5", "2001:db8::5", "52:54:00:00:00:01"),
                NicOption.parse("net1,ipv4=10.0.0.5,ipv6=2001:db8::5,mac=52:54:00:00:00:01"));
        assertEquals(List.of(new NicRequest("a", null, "2001:db8::1", null), new NicRequest("b", null, null, null)),
                NicOption.parseAll(List.of("a,ipv6=2001:db8::1", "b")));
        assertEquals(List.of(), NicOption.parseAll(null));
    }

    @Test
    void malformedValuesNameTheNicField() {
        for (String bad : List.of("", ",ipv4=10.0.0.1", "ipv4=10.0.0.1", "net,ipv4", "net,ipv4=",
                "net,vlan=3", "net,ipv4=10.0.0.1,ipv4=10.0.0.2")) {
            ValidationException e = assertThrows(ValidationException.class, () -> NicOption.parse(bad), bad);
            assertEquals("nic", e.field(), bad);
        }
        assertEquals("nic: unknown key 'vlan' in 'net,vlan=3' (expected ipv4, ipv6 or mac)",
                assertThrows(ValidationException.class, () -> NicOption.parse("net,vlan=3")).getMessage());
    }
}
