package org.widecloud.store.jdbc;

import java.util.UUID;

import org.widecloud.api.store.CloudStore;

/**
 * Opens the real JDBC store on a private in-memory H2 database for the shell's tests. Lives in the store's
 * package because the store's test entry point ({@code JdbcCloudStore.open}) is package-private.
 */
public final class ShellTestStores {
    private ShellTestStores() {
    }

    public static CloudStore h2() {
        return JdbcCloudStore.open("h2", "jdbc:h2:mem:shell-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null,
                4);
    }

    public static void close(CloudStore store) {
        if (store instanceof JdbcCloudStore s) {
            s.close();
        }
    }
}
