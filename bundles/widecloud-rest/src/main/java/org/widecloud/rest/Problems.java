package org.widecloud.rest;

import javax.ws.rs.core.Response;

/** Builds problem responses. */
final class Problems {
    private Problems() {
    }

    static Response.ResponseBuilder builder(int status, String title, String detail, String field) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, title, detail, field));
    }

    static Response response(int status, String title, String detail, String field) {
        return builder(status, title, detail, field).build();
    }

    /** The standard reason phrase, or a generic one for codes JAX-RS does not know. */
    static String reason(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        if (s != null) {
            return s.getReasonPhrase();
        }
        return status >= 500 ? "Server error" : "Client error";
    }
}
