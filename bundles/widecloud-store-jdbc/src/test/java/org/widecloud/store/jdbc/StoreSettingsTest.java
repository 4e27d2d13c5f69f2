package org.widecloud.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widecloud.api.store.StoreException;
import org.widecloud.store.jdbc.StoreSettings.DbType;

class StoreSettingsTest {

    @Test
    void defaultsToAnH2FileUnderKarafData() {
        String old = System.getProperty("karaf.data");
        System.setProperty("karaf.data", "/opt/widecloud/data");
        try {
            StoreSettings s = StoreSettings.of(null, "", null, null, 8);
            assertEquals(DbType.H2, s.type());
            assertEquals("jdbc:h2:file:/opt/widecloud/data/widecloud/store;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;"
                    + "WRITE_DELAY=0",
                    s.url());
            assertEquals("sa", s.user());
            assertEquals("", s.password());
            assertEquals("jdbc:h2:file:/opt/widecloud/data/x", StoreSettings.of("H2", "jdbc:h2:file:${karaf.data}/x",
                    "", "", 1).url(), "${karaf.data} in a configured URL is replaced too");
            System.clearProperty("karaf.data");
            assertTrue(StoreSettings.of("h2", null, null, null, 8).url().startsWith("jdbc:h2:file:./data/widecloud/"));
        } finally {
            if (old == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", old);
            }
        }
    }

    @Test
    void postgresqlNeedsAUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.of("postgresql", " ", "widecloud", "secret", 8));
        assertTrue(e.getMessage().startsWith("url is required"), e.getMessage());
        StoreSettings s = StoreSettings.of("postgresql", "jdbc:postgresql://127.0.0.1/wc", "wc", "secret", 8);
        assertEquals(DbType.POSTGRESQL, s.type());
        assertEquals("wc", s.user());
    }

    @Test
    void badTypeAndPoolSizeAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StoreSettings.of("mysql", "", "", "", 8))
                .getMessage().startsWith("type must be h2 or postgresql"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StoreSettings.of("h2", "", "", "", 0))
                .getMessage().startsWith("pool.size"));
    }

    @Test
    void passwordsInUrlsAreHiddenInLogs() {
        StoreSettings s = StoreSettings.of("postgresql", "jdbc:postgresql://h/db?user=a&password=secret&ssl=true",
                "", "", 1);
        assertEquals("jdbc:postgresql://h/db?user=a&password=***&ssl=true", s.safeUrl());
    }

    @Test
    void anUnreachableDatabaseFailsActivationWithWhereItLooked() {
        StoreException e = assertThrows(StoreException.class,
                () -> JdbcCloudStore.open("postgresql", "jdbc:postgresql://127.0.0.1:1/nothing", "x", "y", 1));
        assertTrue(e.getMessage().startsWith("cannot connect to the postgresql store at "
                + "jdbc:postgresql://127.0.0.1:1/nothing: "), e.getMessage());
    }

    @Test
    void scriptsSplitIntoStatements() {
        assertEquals(List.of("CREATE TABLE a (\n    x INTEGER\n)", "CREATE INDEX i ON a (x)"),
                SchemaRunner.statements("-- comment\nCREATE TABLE a (\n    x INTEGER\n);\n\n"
                        + "-- another\nCREATE INDEX i ON a (x);\n"));
    }
}
