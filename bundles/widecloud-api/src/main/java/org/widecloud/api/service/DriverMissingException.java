package org.widecloud.api.service;

/** The operation needs a backend bundle that is not installed: 409, and nothing changed. */
public class DriverMissingException extends ConflictException {
    public DriverMissingException(String kind, String type) {
        super(null, "no " + kind + " driver '" + type + "' installed");
    }
}
