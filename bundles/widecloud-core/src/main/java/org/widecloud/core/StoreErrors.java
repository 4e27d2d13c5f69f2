package org.widecloud.core;

import java.util.function.Supplier;

import org.widecloud.api.service.ConflictException;
import org.widecloud.api.store.DuplicateException;
import org.widecloud.api.store.StaleVersionException;

/** Turns the store's refusals into errors a caller understands. */
final class StoreErrors {
    private StoreErrors() {
    }

    static <T> T translate(String kind, Supplier<T> write) {
        try {
            return write.get();
        } catch (DuplicateException e) {
            String field = e.field() == null ? "name" : e.field();
            throw new ConflictException(field, kind + " " + field + " is already taken: " + e.getMessage(), e);
        } catch (StaleVersionException e) {
            throw new ConflictException("version",
                    kind + " was changed by someone else in the meantime; read it again and retry", e);
        }
    }

    static void run(String kind, Runnable write) {
        translate(kind, () -> {
            write.run();
            return null;
        });
    }

    /** Checks an update's expected version against the stored one. */
    static void expectVersion(String kind, Long expected, long actual) {
        if (expected != null && expected != actual) {
            throw new ConflictException("version", kind + " is at version " + actual + ", not " + expected
                    + "; read it again and retry");
        }
    }
}
