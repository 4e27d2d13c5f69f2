package org.widecloud.rest;

import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.core.SecurityContext;

/** The user name services record as {@code user}. */
final class Callers {
    private Callers() {
    }

    static String user(SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            // Only reachable if the authentication filter were missing: refuse rather than act anonymously.
            throw new NotAuthorizedException(BasicAuthFilter.CHALLENGE);
        }
        return security.getUserPrincipal().getName();
    }
}
