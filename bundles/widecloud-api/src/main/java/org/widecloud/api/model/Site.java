package org.widecloud.api.model;

import java.time.Instant;

/** A place with its own hosts and storage (a campus, a data centre). */
public record Site(String id, String name, String description, SiteState state, Instant created, long version)
        implements Entity {

    public Site withVersion(long v) {
        return new Site(id, name, description, state, created, v);
    }
}
