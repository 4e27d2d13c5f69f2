package org.widecloud.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.widecloud.api.store.StoreException;

/**
 * Applies the scripts listed in {@code db/index.txt} ({@code V<n>__<what>.sql}) that {@code schema_version}
 * does not list yet, each in its own transaction together with its {@code schema_version} row. The row is
 * written first, so a second controller migrating the same PostgreSQL database at the same moment waits
 * on it and then skips the script. (H2 commits DDL at once, so there a script that fails half-way leaves
 * its first statements behind; H2 is the one-controller store.)
 */
final class SchemaRunner {
    static final String INDEX = "db/index.txt";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
    private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INTEGER NOT NULL, description VARCHAR(255) NOT NULL, "
            + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT schema_version_pk PRIMARY KEY (version))";

    record Script(int version, String description, String resource) {
    }

    private final ClassLoader loader;

    SchemaRunner(ClassLoader loader) {
        this.loader = loader;
    }

    /** Returns the versions applied by this call (empty when the schema was current). */
    List<Integer> migrate(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(CREATE_VERSION_TABLE);
            }
            c.commit();
            Set<Integer> applied = new HashSet<>(Jdbc.list(c, "SELECT version FROM schema_version",
                    rs -> rs.getInt(1)));
            c.commit();
            List<Integer> done = new ArrayList<>();
            for (Script s : scripts()) {
                if (!applied.contains(s.version()) && apply(c, s)) {
                    done.add(s.version());
                }
            }
            return done;
        } catch (SQLException e) {
            throw new StoreException("cannot prepare the schema: " + e.getMessage(), e);
        }
    }

    private boolean apply(Connection c, Script s) throws SQLException {
        try {
            Jdbc.update(c, "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    s.version(), s.description(), Instant.now());
        } catch (SQLException e) {
            c.rollback();
            if ("23505".equals(e.getSQLState())) {
                return false; // another controller applied it meanwhile
            }
            throw e;
        }
        try (Statement st = c.createStatement()) {
            for (String sql : statements(read(s.resource()))) {
                st.execute(sql);
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw new StoreException("schema script " + s.resource() + " failed: " + e.getMessage(), e);
        }
    }

    List<Script> scripts() {
        List<Script> out = new ArrayList<>();
        for (String line : read(INDEX).split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new StoreException(INDEX + ": '" + name + "' is not named V<version>__<description>.sql", null);
            }
            int version = Integer.parseInt(m.group(1));
            if (!out.isEmpty() && out.get(out.size() - 1).version() >= version) {
                throw new StoreException(INDEX + ": versions must increase, " + name + " comes too late", null);
            }
            out.add(new Script(version, m.group(2).replace('_', ' '), "db/" + name));
        }
        return out;
    }

    /** Statements end with ';' at the end of a line; lines starting with '--' are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private String read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StoreException("schema resource " + resource + " is missing from the bundle", null);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return r.lines().collect(Collectors.joining("\n"));
            }
        } catch (IOException e) {
            throw new StoreException("cannot read schema resource " + resource + ": " + e.getMessage(), e);
        }
    }
}
