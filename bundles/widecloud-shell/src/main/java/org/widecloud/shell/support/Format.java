package org.widecloud.shell.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.model.Page;

/** Small text formats shared by the commands. */
public final class Format {
    private Format() {
    }

    /** Table cells: null becomes empty, so a missing value never prints as "null". */
    public static List<Object> cells(List<?> values) {
        List<Object> cells = new ArrayList<>(values.size());
        for (Object v : values) {
            cells.add(text(v));
        }
        return cells;
    }

    public static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant i) {
            return i.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        return value.toString();
    }

    /** "Showing 1-3 of 3"; empty when there is nothing at all (the table already says so). */
    public static String totals(Page<?> page) {
        if (page.total() == 0 && page.items().isEmpty()) {
            return "";
        }
        if (page.items().isEmpty()) {
            return "Showing none of " + page.total() + " (offset " + page.offset() + ")";
        }
        long first = page.offset() + 1L;
        long last = page.offset() + (long) page.items().size();
        return "Showing " + first + "-" + last + " of " + page.total();
    }
}
