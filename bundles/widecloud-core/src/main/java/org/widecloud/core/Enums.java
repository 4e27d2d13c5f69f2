package org.widecloud.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.widecloud.api.service.ValidationException;

final class Enums {
    private Enums() {
    }

    /** Case-insensitive; the error lists the allowed values. */
    static <E extends Enum<E>> E parse(String field, Class<E> type, String value) {
        Names.required(field, value);
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
            throw new ValidationException(field, "'" + Names.printable(value) + "' is not one of " + allowed);
        }
    }
}
