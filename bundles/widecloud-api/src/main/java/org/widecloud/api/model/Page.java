package org.widecloud.api.model;

import java.util.List;
import java.util.function.Function;

/** One page of a list and the total number of items. */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), total, offset, limit);
    }
}
