package org.widecloud.api.model;

import java.time.Instant;

/**
 * A disk volume in a pool. {@code host} is the host that holds it for host-local backends ({@code local}: a
 * file in a directory pool of that host), null when every host the pool reaches can attach it. {@code image}
 * is the image it was created from (its backing file where the backend does copy-on-write), {@code vm} the VM
 * it is attached to. {@code key} is the backend's own name for it (a path, an IQN and LUN).
 */
public record Volume(String id, String name, String pool, String host, long sizeBytes, String format, String image,
        String vm, String key, VolumeState state, Instant created, long version) implements Entity {
}
