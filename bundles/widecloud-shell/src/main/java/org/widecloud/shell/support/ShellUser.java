package org.widecloud.shell.support;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

import org.apache.karaf.shell.api.console.Session;

/**
 * Finds who runs a shell command, the way Karaf's own {@code jaas:whoami} and {@code ShellUtil} do: the JAAS
 * subject of the calling context (set by the local console login and by SSH), then the subject and the
 * {@code USER} variable Karaf stores in the session, then {@value #FALLBACK}.
 */
public final class ShellUser {
    public static final String FALLBACK = "karaf";

    /** Karaf's principal class; matched by simple name so the bundle needs no import of Karaf's JAAS boot. */
    private static final String USER_PRINCIPAL = "UserPrincipal";

    private ShellUser() {
    }

    public static String of(Session session) {
        String user = fromSubject(currentSubject());
        if (user == null && session != null) {
            Object subject = session.get(Subject.class.getName());
            if (subject instanceof Subject s) {
                user = fromSubject(s);
            }
            Object name = session.get("USER");
            if (user == null && name instanceof String n && !n.isBlank()) {
                user = n;
            }
        }
        return user != null ? user : FALLBACK;
    }

    @SuppressWarnings({"removal", "deprecation"})
    private static Subject currentSubject() {
        try {
            return Subject.getSubject(AccessController.getContext());
        } catch (UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    static String fromSubject(Subject subject) {
        if (subject == null) {
            return null;
        }
        for (Principal p : subject.getPrincipals()) {
            if (USER_PRINCIPAL.equals(p.getClass().getSimpleName()) && p.getName() != null && !p.getName().isBlank()) {
                return p.getName();
            }
        }
        return null;
    }
}
