package org.widecloud.rest;

import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.metatype.annotations.Designate;

/**
 * HTTP Basic on every request of the application, unknown paths included (pre-matching), against a JAAS realm.
 * The caller's name becomes the request's user principal, which resources pass to the services as {@code user}.
 */
@Component(service = ContainerRequestFilter.class, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
@JaxrsExtension
@JaxrsName(RestApplication.AUTH)
@JaxrsApplicationSelect(RestApplication.SELECT)
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BasicAuthFilter implements ContainerRequestFilter {
    static final String CHALLENGE = "Basic realm=\"widecloud\", charset=\"UTF-8\"";

    private final Authenticator authenticator;
    private final Set<String> requiredRoles;
    private final LoginCache cache;

    @Activate
    public BasicAuthFilter(RestConfig config) {
        this(new JaasAuthenticator(config.realm(), names(config.role_principal_classes()), null),
                names(config.roles()), Duration.ofSeconds(config.login_cache_seconds()));
    }

    BasicAuthFilter(Authenticator authenticator, Set<String> requiredRoles, Duration cacheTtl) {
        this.authenticator = authenticator;
        this.requiredRoles = Set.copyOf(requiredRoles);
        this.cache = new LoginCache(cacheTtl, System::nanoTime);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<Identity> identity = header == null ? Optional.empty() : cache.get(header);
        if (identity.isEmpty()) {
            Optional<BasicCredentials> credentials = BasicCredentials.parse(header);
            if (credentials.isEmpty()) {
                request.abortWith(Problems.builder(401, "Unauthorized",
                        header == null ? "authentication required (HTTP Basic)" : "malformed Authorization header",
                        null).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
                return;
            }
            identity = authenticator.login(credentials.get().user(), credentials.get().password());
            if (identity.isEmpty()) {
                request.abortWith(Problems.builder(401, "Unauthorized", "wrong user name or password", null)
                        .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
                return;
            }
            if (!permitted(identity.get())) {
                request.abortWith(Problems.response(403, "Forbidden",
                        "user '" + identity.get().user() + "' has none of the roles " + requiredRoles, null));
                return;
            }
            cache.put(header, identity.get());
        }
        request.setSecurityContext(new Caller(identity.get(), request.getSecurityContext()));
    }

    /** A .cfg value is one string: "admin, manager" there means two names. */
    static Set<String> names(String[] values) {
        return values == null ? Set.of()
                : Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                        .filter(v -> !v.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    private boolean permitted(Identity identity) {
        return requiredRoles.isEmpty() || identity.roles().stream().anyMatch(requiredRoles::contains);
    }

    /** The authenticated caller as JAX-RS sees it. */
    private record Caller(Identity identity, SecurityContext original) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return identity::user;
        }

        @Override
        public boolean isUserInRole(String role) {
            return identity.roles().contains(role);
        }

        @Override
        public boolean isSecure() {
            return original != null && original.isSecure();
        }

        @Override
        public String getAuthenticationScheme() {
            return SecurityContext.BASIC_AUTH;
        }
    }
}
