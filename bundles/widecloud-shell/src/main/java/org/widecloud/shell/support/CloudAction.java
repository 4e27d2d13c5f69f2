package org.widecloud.shell.support;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.widecloud.api.service.CloudException;

/**
 * Base of every {@code cloud:*} command. A {@link CloudException} becomes a Karaf {@link CommandException}
 * whose "nice help" is {@code Error: <message>}: Karaf prints exactly that line on the console, logs the
 * exception only at DEBUG (not as an ERROR with a stack trace) and still fails the command, so scripts and
 * {@code bin/client} see a non-zero status. Other exceptions are bugs and keep Karaf's default handling.
 */
public abstract class CloudAction implements Action {

    /** The shell session running the command; null when a test builds the command by hand. */
    @Reference(optional = true)
    protected Session session;

    /** Where output goes; null means {@code System.out}, which Karaf routes to the session's console. */
    protected PrintStream out;

    @Override
    public final Object execute() throws Exception {
        TrailingOptions.apply(this);
        try {
            run();
        } catch (CloudException e) {
            throw failure(e);
        }
        out().flush();
        return null;
    }

    /** Does the work and prints the result. */
    protected abstract void run() throws Exception;

    protected PrintStream out() {
        return out != null ? out : System.out;
    }

    /** The user that audit records name: the session's JAAS user, else {@code karaf}. */
    protected String user() {
        return ShellUser.of(session);
    }

    public static CommandException failure(CloudException e) {
        String message = e.getMessage() != null ? e.getMessage() : e.title();
        return failure(message, e);
    }

    public static CommandException failure(String message, Throwable cause) {
        return new CommandException("Error: " + message, message, cause);
    }

    /** For tests and embedding: sets where the command prints. */
    public void setOut(PrintStream out) {
        this.out = out;
    }

    /** For tests and embedding: sets the session the command runs in. */
    public void setSession(Session session) {
        this.session = session;
    }
}
