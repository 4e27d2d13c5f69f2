package org.widecloud.api.model;

/** Something the store keeps: an immutable id, a unique name, and a version for optimistic locking. */
public interface Entity {
    String id();

    String name();

    /** Incremented by the store on every update; an update carrying an older version is refused. */
    long version();
}
