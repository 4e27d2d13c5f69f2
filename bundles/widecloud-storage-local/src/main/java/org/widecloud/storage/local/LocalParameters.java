package org.widecloud.storage.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.widecloud.api.service.ValidationException;

/**
 * A local pool's parameters: {@code path}, the pool's directory on each host (absolute and normalised; default
 * {@code /var/lib/widecloud/pools/<pool name>}).
 */
record LocalParameters(String path, boolean explicitPath) {
    static final String PATH = "path";
    static final String DEFAULT_ROOT = "/var/lib/widecloud/pools";
    private static final Set<String> KEYS = Set.of(PATH);

    /** Checks the parameters; refuses unknown keys and bad paths with a 400 naming {@code parameters.<key>}. */
    static void validate(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ValidationException("parameters." + key, "unknown parameter (storage 'local' takes: "
                        + PATH + ")");
            }
        }
        String path = parameters.get(PATH);
        if (path != null) {
            checkPath(path);
        }
    }

    /** The pool's directory: the given {@code path}, else the default under {@value #DEFAULT_ROOT}. */
    static LocalParameters of(String poolName, Map<String, String> parameters) {
        validate(parameters);
        String path = parameters.get(PATH);
        if (path != null) {
            return new LocalParameters(path, true);
        }
        if (poolName == null || poolName.isEmpty() || poolName.contains("/") || poolName.equals(".")
                || poolName.equals("..") || poolName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("name", "'" + poolName + "' cannot name a directory: give parameters.path");
        }
        return new LocalParameters(DEFAULT_ROOT + "/" + poolName, false);
    }

    private static void checkPath(String path) {
        if (path.isBlank() || !path.startsWith("/")) {
            throw new ValidationException("parameters.path", "'" + path + "' is not an absolute path");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("parameters.path", "contains a control character");
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new ValidationException("parameters.path", "'" + path + "' contains '" + part + "'");
            }
        }
        if (path.equals("/") || !Path.of(path).normalize().toString().equals(path)) {
            throw new ValidationException("parameters.path", "'" + path + "' is not a normalised directory path "
                    + "(no '//', no trailing '/', not '/')");
        }
    }
}
