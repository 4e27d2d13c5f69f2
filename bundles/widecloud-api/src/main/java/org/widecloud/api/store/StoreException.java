package org.widecloud.api.store;

/** The store failed (connection lost, constraint violated). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
