package org.widecloud.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The contract on a real PostgreSQL server ({@code scripts/setup-postgres.sh} prepares one). The URL comes
 * from {@code WIDECLOUD_PG_URL}; user and password are {@code widecloud}. The schema {@code public} of that
 * database is dropped and made anew first. No server: the tests skip, except under {@code CI=true}.
 */
class PostgresCloudStoreTest extends CloudStoreContract {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/widecloud_test";

    @Override
    protected JdbcCloudStore openStore() {
        String url = System.getenv().getOrDefault("WIDECLOUD_PG_URL", DEFAULT_URL);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("widecloud");
        ds.setPassword("widecloud");
        ds.setConnectTimeout(5);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS public CASCADE");
            st.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            String why = "PostgreSQL at " + url + " is not reachable as widecloud/widecloud (" + e.getMessage()
                    + "); run scripts/setup-postgres.sh as root";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: this test must run)");
            }
            // Surefire does not list a class aborted before its first test: say it on the console too.
            System.err.println("SKIPPED PostgresCloudStoreTest: " + why);
            Assumptions.abort(why);
        }
        return JdbcCloudStore.open("postgresql", url, "widecloud", "widecloud", 4);
    }
}
