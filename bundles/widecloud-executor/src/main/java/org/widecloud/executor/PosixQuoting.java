package org.widecloud.executor;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the one command string an SSH exec request carries (SSH has no argument vector: the remote user's
 * shell parses the string). Each argument becomes one POSIX sh word that the shell takes literally: inside single
 * quotes nothing is special, and a single quote itself is written as {@code '\''} (end quote, escaped quote,
 * reopen).
 */
final class PosixQuoting {
    /** Words that no POSIX shell treats specially, left bare so commands stay readable in logs. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private PosixQuoting() {
    }

    static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL cannot be passed through a shell");
        }
        if (PLAIN.matcher(arg).matches() && !arg.startsWith("~")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    static String join(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(a));
        }
        return b.toString();
    }
}
