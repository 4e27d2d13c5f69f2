package org.widecloud.core;

import java.util.Optional;
import java.util.function.Function;

import org.widecloud.api.service.NotFoundException;
import org.widecloud.api.service.ValidationException;

/**
 * Resolves a reference that may be an id or a name. A reference in a URL path that matches nothing is a 404;
 * one inside a request body is that field's error (400).
 */
final class Refs {
    private Refs() {
    }

    static <T> Optional<T> find(String ref, Function<String, Optional<T>> byId, Function<String, Optional<T>> byName) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        Optional<T> t = byId.apply(ref);
        return t.isPresent() ? t : byName.apply(ref);
    }

    /** For the object a request addresses. */
    static <T> T path(String kind, String ref, Function<String, Optional<T>> byId,
            Function<String, Optional<T>> byName) {
        return find(ref, byId, byName).orElseThrow(() -> new NotFoundException(null, kind, ref));
    }

    /** For a reference inside a request body: names the field. */
    static <T> T field(String field, String kind, String ref, Function<String, Optional<T>> byId,
            Function<String, Optional<T>> byName) {
        Names.required(field, ref);
        return find(ref, byId, byName)
                .orElseThrow(() -> new ValidationException(field, "no " + kind + " '" + Names.printable(ref) + "'"));
    }
}
