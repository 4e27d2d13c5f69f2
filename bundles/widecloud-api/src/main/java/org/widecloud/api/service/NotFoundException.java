package org.widecloud.api.service;

/** A referenced object does not exist: 404 for the object addressed, 400 would hide the field otherwise. */
public class NotFoundException extends CloudException {
    public NotFoundException(String field, String kind, String ref) {
        super(field, "no " + kind + " '" + ref + "'", null);
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String title() {
        return "Not found";
    }
}
