package org.widecloud.rest;

import java.util.List;
import java.util.OptionalInt;

/** The {@code wait} preference of RFC 7240 {@code Prefer} headers. */
final class Prefer {
    static final int MAX_WAIT_SECONDS = 60;

    private Prefer() {
    }

    /**
     * Seconds to wait, capped at {@value #MAX_WAIT_SECONDS}; empty when no header asks for it. A preference the
     * server cannot understand is ignored, as RFC 7240 says, rather than refused.
     */
    static OptionalInt waitSeconds(List<String> headers) {
        if (headers == null) {
            return OptionalInt.empty();
        }
        for (String header : headers) {
            if (header == null) {
                continue;
            }
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0].strip();
                int eq = token.indexOf('=');
                if (eq < 0 || !token.substring(0, eq).strip().equalsIgnoreCase("wait")) {
                    continue;
                }
                String value = token.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                return OptionalInt.of(Math.min(Integer.parseInt(value), MAX_WAIT_SECONDS));
            }
        }
        return OptionalInt.empty();
    }
}
