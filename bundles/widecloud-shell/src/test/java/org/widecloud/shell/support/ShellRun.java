package org.widecloud.shell.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;
import org.apache.karaf.shell.support.CommandException;

/**
 * Runs a command built by hand the way Karaf's console does: captures what it prints, and for a failed command
 * what Karaf would print for it (a {@link CommandException}'s nice help; anything else is rethrown).
 */
public final class ShellRun {

    /** What a command printed, and the error line Karaf would show (null when it succeeded). */
    public record Result(String out, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    private ShellRun() {
    }

    public static Result run(CloudAction action) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        action.setOut(out);
        String error = null;
        try {
            action.execute();
        } catch (CommandException e) {
            error = e.getNiceHelp();
        }
        out.flush();
        return new Result(bytes.toString(StandardCharsets.UTF_8), error);
    }

    /** A session on a terminal of the given width (0: headless, as for scripts), with session variables. */
    public static Session session(int terminalWidth, Map<String, Object> variables) {
        Terminal terminal = terminalWidth <= 0 ? null : (Terminal) Proxy.newProxyInstance(
                ShellRun.class.getClassLoader(), new Class<?>[] {Terminal.class}, (p, m, a) -> switch (m.getName()) {
                    case "getWidth" -> terminalWidth;
                    case "getHeight" -> 24;
                    case "getType" -> "xterm-256color";
                    case "isAnsiSupported" -> true;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
        Map<String, Object> vars = new HashMap<>(variables);
        return (Session) Proxy.newProxyInstance(ShellRun.class.getClassLoader(), new Class<?>[] {Session.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getTerminal" -> terminal;
                    case "get" -> vars.get((String) a[0]);
                    case "put" -> vars.put((String) a[0], a[1]);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> "test session";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
