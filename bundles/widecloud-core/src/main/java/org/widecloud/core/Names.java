package org.widecloud.core;

import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;

/** Checks on user-chosen strings, so nothing odd reaches a hypervisor, a file name or a shell. */
public final class Names {
    /** Letters, digits, dot, dash, underscore; starts with a letter or digit; at most 64 characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    private Names() {
    }

    public static String name(String field, String value) {
        String v = required(field, value);
        if (v.length() > 64) {
            throw new ValidationException(field, "is longer than 64 characters");
        }
        if (!NAME.matcher(v).matches()) {
            throw new ValidationException(field, "'" + printable(v)
                    + "' may contain only letters, digits, '.', '-' and '_', and must start with a letter or digit");
        }
        return v;
    }

    public static String type(String field, String value) {
        String v = required(field, value);
        if (!TYPE.matcher(v).matches()) {
            throw new ValidationException(field, "'" + printable(v) + "' is not a driver type (lower-case letters, digits, '-')");
        }
        return v;
    }

    public static String bridge(String field, String value) {
        String v = required(field, value);
        if (!BRIDGE.matcher(v).matches()) {
            throw new ValidationException(field,
                    "'" + printable(v) + "' is not an interface name (at most 15 letters, digits, '.', '-', '_')");
        }
        return v;
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }

    /** Free text (descriptions, kernel command lines): no control characters, bounded. */
    public static String text(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new ValidationException(field, "is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ValidationException(field, "contains a control character");
            }
        }
        return value;
    }

    /** An absolute path without '..' segments or odd characters. */
    public static String path(String field, String value) {
        String v = required(field, value);
        text(field, v, 1024);
        if (!v.startsWith("/")) {
            throw new ValidationException(field, "must be an absolute path");
        }
        for (String segment : v.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new ValidationException(field, "must not contain '.' or '..' segments");
            }
        }
        if (v.contains("//") || v.contains(",") || v.contains("\\")) {
            throw new ValidationException(field, "must not contain '//', ',' or '\\'");
        }
        return v;
    }

    /** For echoing user input in messages: shortened and stripped of control characters. */
    public static String printable(String v) {
        String s = v.length() > 70 ? v.substring(0, 67) + "..." : v;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
