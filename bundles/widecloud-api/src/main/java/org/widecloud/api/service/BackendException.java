package org.widecloud.api.service;

/** A hypervisor or other backend failed or refused: 502, with the backend's own message. */
public class BackendException extends CloudException {
    public BackendException(String message, Throwable cause) {
        super(null, message, cause);
    }

    @Override
    public int status() {
        return 502;
    }

    @Override
    public String title() {
        return "Backend error";
    }
}
