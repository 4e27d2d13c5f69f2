package org.widecloud.shell.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.Principal;
import java.security.PrivilegedAction;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;

import org.junit.jupiter.api.Test;

class ShellUserTest {

    /** Same simple name as Karaf's org.apache.karaf.jaas.boot.principal.UserPrincipal. */
    record UserPrincipal(String getName) implements Principal {
    }

    record RolePrincipal(String getName) implements Principal {
    }

    private static Subject subject(String user) {
        return new Subject(true, Set.of(new RolePrincipal("admin"), new UserPrincipal(user)), Set.of(), Set.of());
    }

    @Test
    @SuppressWarnings("removal")
    void theJaasSubjectOfTheCallWins() {
        String user = Subject.doAs(subject("alice"),
                (PrivilegedAction<String>) () -> ShellUser.of(ShellRun.session(0, Map.of("USER", "bob"))));
        assertEquals("alice", user);
    }

    @Test
    void thenTheSubjectKarafStoresInTheSession() {
        assertEquals("carol", ShellUser.of(ShellRun.session(0, Map.of(Subject.class.getName(), subject("carol")))));
    }

    @Test
    void thenTheSessionsUserVariable() {
        assertEquals("bob", ShellUser.of(ShellRun.session(0, Map.of("USER", "bob"))));
    }

    @Test
    void elseKaraf() {
        assertEquals("karaf", ShellUser.of(null));
        assertEquals("karaf", ShellUser.of(ShellRun.session(0, Map.of("USER", " "))));
    }
}
