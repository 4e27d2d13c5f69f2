package org.widecloud.rest;

import java.util.Optional;

/** Checks a user name and password; empty when the realm refuses them. */
interface Authenticator {
    Optional<Identity> login(String user, String password);
}
