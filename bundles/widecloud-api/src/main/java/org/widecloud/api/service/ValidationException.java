package org.widecloud.api.service;

/** Input that can never be right: 400. */
public class ValidationException extends CloudException {
    public ValidationException(String field, String message) {
        super(field, field == null ? message : field + ": " + message, null);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String title() {
        return "Invalid input";
    }
}
