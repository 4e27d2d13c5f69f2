package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BasicCredentialsTest {
    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesUserAndPassword() {
        assertEquals(Optional.of(new BasicCredentials("karaf", "karaf")), BasicCredentials.parse(basic("karaf:karaf")));
        // the password may contain colons; the scheme is case-insensitive
        assertEquals(Optional.of(new BasicCredentials("u", "a:b:")),
                BasicCredentials.parse("basic " + basic("u:a:b:").substring(6)));
        assertEquals(Optional.of(new BasicCredentials("jürgen", "")), BasicCredentials.parse(basic("jürgen:")));
    }

    @Test
    void refusesWhatIsNotBasic() {
        assertTrue(BasicCredentials.parse(null).isEmpty());
        assertTrue(BasicCredentials.parse("").isEmpty());
        assertTrue(BasicCredentials.parse("Bearer abc").isEmpty());
        assertTrue(BasicCredentials.parse("Basic !!!notbase64").isEmpty());
        assertTrue(BasicCredentials.parse(basic("no-colon")).isEmpty());
        assertTrue(BasicCredentials.parse(basic(":empty-user")).isEmpty());
    }

    @Test
    void neverPrintsThePassword() {
        assertTrue(!new BasicCredentials("u", "hunter2").toString().contains("hunter2"));
    }
}
