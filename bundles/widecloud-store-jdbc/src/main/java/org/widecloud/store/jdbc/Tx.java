package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.widecloud.api.store.StoreException;

/**
 * Thread-bound transactions: the outermost call takes a connection from the pool and commits at its end
 * (rolls back when anything is thrown); calls made inside it on the same thread join it.
 */
final class Tx {
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Turns a failed statement into the store's exception; knows what the statement was doing. */
    @FunctionalInterface
    interface ErrorMapper {
        StoreException map(SQLException e);
    }

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    Tx(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T run(Work<T> work, ErrorMapper errors) {
        Connection bound = current.get();
        if (bound != null) {
            try {
                return work.apply(bound);
            } catch (SQLException e) {
                throw errors.map(e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            current.set(c);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollback(c, e);
                throw errors.map(e);
            } catch (RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                current.remove();
            }
        } catch (SQLException e) {
            // getConnection, commit's connection loss or close
            throw SqlErrors.general(e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }
}
