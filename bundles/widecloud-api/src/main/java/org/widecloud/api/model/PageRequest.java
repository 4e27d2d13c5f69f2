package org.widecloud.api.model;

import org.widecloud.api.service.ValidationException;

/** Offset and limit of a list request; limit is 1..1000, 100 by default. */
public record PageRequest(int offset, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (offset < 0) {
            throw new ValidationException("offset", "must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    public static PageRequest of(Integer offset, Integer limit) {
        return new PageRequest(offset == null ? 0 : offset, limit == null ? DEFAULT_LIMIT : limit);
    }

    public static PageRequest all() {
        return new PageRequest(0, MAX_LIMIT);
    }
}
