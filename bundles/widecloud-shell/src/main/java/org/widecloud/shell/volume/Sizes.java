package org.widecloud.shell.volume;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.widecloud.api.service.ValidationException;

/** Sizes typed by people: bytes, or a number with a binary suffix (K, M, G, T; "GiB" and "G" alike). */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([KMGT]?)(?:I?B)?");

    private Sizes() {
    }

    /** Null when not given (the service decides). */
    static Long parse(String field, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ValidationException(field, "expected bytes or a size such as 512M or 10G, got '" + text + "'");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "'" + text + "' is too large");
        }
    }
}
