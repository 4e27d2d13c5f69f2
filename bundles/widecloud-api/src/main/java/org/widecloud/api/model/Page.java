package org.widecloud.api.model;

import java.util.List;
import java.util.function.Function;

/** One page of a list and the total number of items. */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), total, offset, limit);
    }

    /** Every item of a paged list, read page by page at the largest page size (for backends that need all). */
    public static <T> List<T> all(Function<PageRequest, Page<T>> lister) {
        List<T> out = new java.util.ArrayList<>();
        for (int offset = 0;;) {
            Page<T> page = lister.apply(new PageRequest(offset, PageRequest.MAX_LIMIT));
            out.addAll(page.items());
            offset += page.items().size();
            if (page.items().isEmpty() || offset >= page.total()) {
                return out;
            }
        }
    }
}
