package org.widecloud.executor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Arguments that a shell would split, expand or run if one got them unquoted. */
final class Hostile {
    static final List<String> ARGS = List.of("plain", "two words", "", " ", "'", "''", "'\\''", "\"", "\\",
            "$(touch /tmp/wcx-pwned)", "`touch /tmp/wcx-pwned`", "a;touch /tmp/wcx-pwned", "a && b || c", "|", ">",
            "<", "&", "$HOME", "${PATH}", "*", "?", "[a-z]", "~", "~root", "#comment", "-n", "--", "!", "!!",
            "line1\nline2", "tab\there", "it's", "x'; touch /tmp/wcx-pwned; echo '", "ünïcødé ✓", "%s%n",
            "\r", "a=b", "{a,b}", "$'\\x41'");

    private Hostile() {
    }

    /** {@code printf '%s\0' args...}: prints each argument as received, NUL-terminated. */
    static List<String> printfArgv(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(args);
        return argv;
    }

    static List<String> split(String nulTerminated) {
        if (nulTerminated.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(nulTerminated.substring(0, nulTerminated.length() - 1).split("\0", -1));
    }
}
