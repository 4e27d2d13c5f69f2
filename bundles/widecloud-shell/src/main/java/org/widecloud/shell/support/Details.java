package org.widecloud.shell.support;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** One object as aligned "Key : value" lines, as Karaf's {@code bundle:headers} and friends print. */
public final class Details {
    private final List<String[]> lines = new ArrayList<>();

    /** Adds a line; a null value (nothing to say, e.g. no error) adds none. */
    public Details add(String key, Object value) {
        if (value != null) {
            lines.add(new String[] {key, Format.text(value)});
        }
        return this;
    }

    public void print(PrintStream out) {
        int width = 0;
        for (String[] l : lines) {
            width = Math.max(width, l[0].length());
        }
        for (String[] l : lines) {
            out.println(String.format("%-" + width + "s : %s", l[0], l[1]));
        }
    }
}
