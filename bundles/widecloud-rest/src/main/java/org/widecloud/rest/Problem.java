package org.widecloud.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 7807 problem report; {@code field} names the offending input, when one is to blame. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail, String field) {
        return new Problem("about:blank", title, status, detail, field);
    }
}
