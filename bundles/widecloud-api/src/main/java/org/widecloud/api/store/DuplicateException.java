package org.widecloud.api.store;

/** An insert or update would make a unique value (id, name, address, MAC) appear twice. */
public class DuplicateException extends StoreException {
    private final String field;

    public DuplicateException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The field whose value is taken: {@code name}, {@code id}, {@code ipv4}, {@code ipv6} or {@code mac}. */
    public String field() {
        return field;
    }
}
