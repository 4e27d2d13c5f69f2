package org.widecloud.store.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.widecloud.api.store.StoreException;

/**
 * Builds the pool over a driver data source created directly: DriverManager cannot see drivers in other
 * bundles. Each driver is touched only in its own holder class, so a missing driver bundle fails only
 * the type that needs it, with a message saying which bundle to install.
 */
final class DataSources {
    private DataSources() {
    }

    static HikariDataSource pooled(StoreSettings s) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("widecloud-store");
        hc.setDataSource(driverDataSource(s));
        hc.setMaximumPoolSize(s.poolSize());
        hc.setMinimumIdle(Math.min(2, s.poolSize()));
        // Every store call commits or rolls back itself; autocommit would only add round trips.
        hc.setAutoCommit(false);
        hc.setConnectionTimeout(10_000);
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the " + s.type().name().toLowerCase() + " store at "
                    + s.safeUrl() + ": " + rootMessage(e), e);
        }
    }

    static DataSource driverDataSource(StoreSettings s) {
        try {
            return switch (s.type()) {
                case H2 -> H2.create(s);
                case POSTGRESQL -> Postgres.create(s);
            };
        } catch (NoClassDefFoundError e) {
            String bundle = s.type() == StoreSettings.DbType.H2 ? "com.h2database:h2" : "org.postgresql:postgresql";
            throw new StoreException("store type " + s.type().name().toLowerCase() + " needs the JDBC driver bundle "
                    + bundle + ", which is not installed (or this bundle was resolved before it: refresh it)", e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private static final class H2 {
        static DataSource create(StoreSettings s) {
            org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
            ds.setURL(s.url());
            ds.setUser(s.user());
            ds.setPassword(s.password());
            return ds;
        }
    }

    private static final class Postgres {
        static DataSource create(StoreSettings s) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(s.url());
            if (!s.user().isEmpty()) {
                ds.setUser(s.user());
            }
            if (!s.password().isEmpty()) {
                ds.setPassword(s.password());
            }
            ds.setReWriteBatchedInserts(true);
            return ds;
        }
    }
}
