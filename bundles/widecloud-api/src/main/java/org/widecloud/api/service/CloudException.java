package org.widecloud.api.service;

/**
 * Base of the errors services report to callers. {@link #status()} is the HTTP status a front end answers
 * with; {@link #field()} names the offending input field, if one is to blame.
 */
public abstract class CloudException extends RuntimeException {
    private final String field;

    protected CloudException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public abstract int status();

    /** Short title for a problem report, e.g. "Invalid input". */
    public abstract String title();
}
