package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Karaf's own properties login module, with Karaf's default users.properties layout. */
class JaasAuthenticatorTest {
    static final String ROLE_CLASS = "org.apache.karaf.jaas.boot.principal.RolePrincipal";

    /** A realm {@code karaf} as Karaf configures it, reading the given users file. */
    static Configuration karafRealm(Path users) {
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                if (!"karaf".equals(name)) {
                    return null;
                }
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("users", users.toString()))};
            }
        };
    }

    static Path usersFile(Path dir) throws IOException {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, """
                karaf = karaf,_g_:admingroup
                _g_\\:admingroup = group,admin,manager,viewer,systembroker,ssh
                watcher = watcher,viewer
                """);
        return users;
    }

    @Test
    void logsInAndReadsRoles(@TempDir Path dir) throws IOException {
        JaasAuthenticator jaas = new JaasAuthenticator("karaf", Set.of(ROLE_CLASS), karafRealm(usersFile(dir)));
        Identity karaf = jaas.login("karaf", "karaf").orElseThrow();
        assertEquals("karaf", karaf.user());
        assertTrue(karaf.roles().contains("admin"), karaf.roles().toString());
        assertEquals(Set.of("viewer"), jaas.login("watcher", "watcher").orElseThrow().roles());
    }

    @Test
    void refusesWrongPasswordsUnknownUsersAndUnknownRealms(@TempDir Path dir) throws IOException {
        Configuration realm = karafRealm(usersFile(dir));
        JaasAuthenticator jaas = new JaasAuthenticator("karaf", Set.of(ROLE_CLASS), realm);
        assertTrue(jaas.login("karaf", "wrong").isEmpty());
        assertTrue(jaas.login("nobody", "karaf").isEmpty());
        assertTrue(new JaasAuthenticator("other", Set.of(ROLE_CLASS), realm).login("karaf", "karaf").isEmpty());
    }
}
