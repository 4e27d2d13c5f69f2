package org.widecloud.shell.support;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.widecloud.api.service.CloudException;

/**
 * Shows referenced objects by name: the model keeps ids, people read names. Each id is looked up once per
 * command; an id that no longer resolves is shown as it is.
 */
public final class RefNames {
    private final Function<String, String> lookup;
    private final Map<String, String> cache = new HashMap<>();

    public RefNames(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    public String name(String id) {
        if (id == null) {
            return null;
        }
        return cache.computeIfAbsent(id, k -> {
            try {
                String name = lookup.apply(k);
                return name != null ? name : k;
            } catch (CloudException e) {
                return k;
            }
        });
    }
}
