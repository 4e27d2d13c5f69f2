package org.widecloud.shell.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.widecloud.api.service.ValidationException;

/** Parses repeated {@code key=value} options (e.g. {@code --param vni=42}). */
public final class KeyValues {
    private KeyValues() {
    }

    /** Null when none were given, so that an update leaves the stored map unchanged. */
    public static Map<String, String> parse(String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v == null ? -1 : v.indexOf('=');
            if (eq <= 0) {
                throw new ValidationException(field, "expected key=value, got '" + v + "'");
            }
            map.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
        }
        return map;
    }

    /** "k=v k=v" sorted by key, or null (no line in a listing) when there are none. */
    public static String format(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        return new TreeMap<>(values).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
