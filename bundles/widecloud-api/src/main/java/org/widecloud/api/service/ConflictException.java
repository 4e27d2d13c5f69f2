package org.widecloud.api.service;

/** Valid input that the current state refuses (duplicate name, object in use, VM busy): 409. */
public class ConflictException extends CloudException {
    public ConflictException(String field, String message) {
        super(field, message, null);
    }

    public ConflictException(String field, String message, Throwable cause) {
        super(field, message, cause);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String title() {
        return "Conflict";
    }
}
