package org.widecloud.api.store;

/** An update carried a version older than the stored one: someone else changed the record first. */
public class StaleVersionException extends StoreException {
    public StaleVersionException(String message) {
        super(message, null);
    }
}
