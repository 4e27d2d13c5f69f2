package org.widecloud.rest;

import java.security.Principal;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/** Logs in against a JAAS realm (in Karaf: the realm {@code karaf}, backed by {@code etc/users.properties}). */
final class JaasAuthenticator implements Authenticator {
    private final String realm;
    private final Set<String> roleClasses;
    private final Configuration configuration;

    /** {@code configuration} null: the JVM-wide JAAS configuration, which Karaf replaces with its own realms. */
    JaasAuthenticator(String realm, Set<String> roleClasses, Configuration configuration) {
        this.realm = realm;
        this.roleClasses = Set.copyOf(roleClasses);
        this.configuration = configuration;
    }

    @Override
    public Optional<Identity> login(String user, String password) {
        Subject subject = new Subject();
        Configuration config = configuration != null ? configuration : Configuration.getConfiguration();
        Thread thread = Thread.currentThread();
        ClassLoader tccl = thread.getContextClassLoader();
        // LoginContext loads the realm's login module classes through the TCCL. Inside OSGi the request thread's
        // TCCL is the web container's; the class loader of the configuration (Karaf's jaas.config bundle) is
        // the one that can see the module classes that configuration names.
        ClassLoader configLoader = config.getClass().getClassLoader();
        thread.setContextClassLoader(configLoader != null ? configLoader : JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> answer(callbacks, user, password),
                    config);
            context.login();
            Identity identity = new Identity(user, roles(subject));
            context.logout();
            return Optional.of(identity);
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(tccl);
        }
    }

    private Set<String> roles(Subject subject) {
        Set<String> roles = new HashSet<>();
        for (Principal p : subject.getPrincipals()) {
            if (roleClasses.contains(p.getClass().getName())) {
                roles.add(p.getName());
            }
        }
        return roles;
    }

    private static void answer(Callback[] callbacks, String user, String password)
            throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(user);
            } else if (c instanceof PasswordCallback p) {
                p.setPassword(password.toCharArray());
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }
}
