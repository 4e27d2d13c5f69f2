package org.widecloud.rest;

import java.util.Set;

/** An authenticated caller and the roles the realm gave it. */
record Identity(String user, Set<String> roles) {
    Identity {
        roles = Set.copyOf(roles);
    }
}
