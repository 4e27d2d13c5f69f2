package org.widecloud.rest;

import java.net.URI;

import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;

/**
 * Absolute links under the application base, with the scheme, host and port the client used: CXF's base URI
 * may name the endpoint differently (e.g. localhost for 127.0.0.1).
 */
final class Links {
    private Links() {
    }

    static URI to(UriInfo uri, String... segments) {
        UriBuilder b = UriBuilder.fromUri(uri.getRequestUri()).replacePath(uri.getBaseUri().getRawPath())
                .replaceQuery(null).fragment(null);
        for (String s : segments) {
            b.segment(s);
        }
        return b.build();
    }
}
