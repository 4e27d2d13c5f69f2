package org.widecloud.store.jdbc;

import java.util.Locale;

/** The store's connection settings with every default resolved. */
record StoreSettings(DbType type, String url, String user, String password, int poolSize) {

    static final String KARAF_DATA = "${karaf.data}";
    /**
     * WRITE_DELAY=0: H2 otherwise flushes committed transactions up to 500 ms later, so a kill -9 loses writes a
     * client saw confirmed, journal steps included (MigrationCrashIT lost 2 of 3 fresh rows without it).
     */
    static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0";

    enum DbType {
        H2, POSTGRESQL
    }

    StoreSettings {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool.size must be 1 or more, not " + poolSize);
        }
    }

    static StoreSettings from(StoreConfig config) {
        String password = blank(config._password()) ? config.password() : config._password();
        return of(config.type(), config.url(), config.user(), password, config.pool_size());
    }

    static StoreSettings of(String type, String url, String user, String password, int poolSize) {
        DbType t = parseType(type);
        String u = blank(url) ? defaultUrl(t) : url.trim();
        u = u.replace(KARAF_DATA, karafData());
        String usr = blank(user) ? (t == DbType.H2 ? "sa" : "") : user.trim();
        return new StoreSettings(t, u, usr, password == null ? "" : password, poolSize);
    }

    /** A file database in the given folder, as the default but somewhere else (tests, tools). */
    static String h2FileUrl(String folder) {
        return "jdbc:h2:file:" + folder + "/store" + H2_OPTIONS;
    }

    private static DbType parseType(String type) {
        String t = blank(type) ? "h2" : type.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "h2" -> DbType.H2;
            case "postgresql", "postgres" -> DbType.POSTGRESQL;
            default -> throw new IllegalArgumentException(
                    "type must be h2 or postgresql, not '" + type + "'");
        };
    }

    private static String defaultUrl(DbType t) {
        if (t == DbType.POSTGRESQL) {
            throw new IllegalArgumentException("url is required when type is postgresql "
                    + "(for example jdbc:postgresql://127.0.0.1:5432/widecloud)");
        }
        return h2FileUrl(KARAF_DATA + "/widecloud");
    }

    private static String karafData() {
        String data = System.getProperty("karaf.data");
        return blank(data) ? "./data" : data;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The URL without anything that looks like a credential, for logs. */
    String safeUrl() {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
