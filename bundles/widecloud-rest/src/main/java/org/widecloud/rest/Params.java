package org.widecloud.rest;

import java.time.Duration;

import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.ValidationException;

/**
 * Query parameters arrive as strings: JAX-RS would answer 404 for a non-numeric {@code Integer} query
 * parameter, we answer 400 naming it.
 */
final class Params {
    private Params() {
    }

    static PageRequest page(String offset, String limit) {
        return PageRequest.of(integer("offset", offset), integer("limit", limit));
    }

    static Integer integer(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be an integer, not '" + abbreviate(value) + "'");
        }
    }

    /** Seconds, 0 or more; null when absent. */
    static Duration seconds(String field, String value) {
        Integer s = integer(field, value);
        if (s == null) {
            return null;
        }
        if (s < 0) {
            throw new ValidationException(field, "must be 0 or more seconds");
        }
        return Duration.ofSeconds(s);
    }

    /** Blank filters mean no filter. */
    static String filter(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static <T> T body(T body) {
        if (body == null) {
            throw new ValidationException(JsonErrors.BODY, "a JSON request body is required");
        }
        return body;
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }
}
