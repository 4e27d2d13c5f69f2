package org.widecloud.driver.xenserver;

import java.util.List;
import java.util.Map;

/** Reading XAPI records (structs of strings, maps and lists) without casts everywhere. */
final class Fields {
    static final String NULL_REF = "OpaqueRef:NULL";

    private Fields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static Map<String, Object> map(Map<String, Object> record, String key) {
        return map(record.get(key));
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    static String str(Map<String, Object> record, String key) {
        Object v = record.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    static boolean bool(Map<String, Object> record, String key) {
        Object v = record.get(key);
        return v instanceof Boolean b ? b : "true".equalsIgnoreCase(String.valueOf(v));
    }

    /** XAPI's int64 fields arrive as strings. */
    static long int64(Map<String, Object> record, String key) {
        Object v = record.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? 0 : Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean isNull(String ref) {
        return ref == null || ref.isEmpty() || NULL_REF.equals(ref);
    }
}
