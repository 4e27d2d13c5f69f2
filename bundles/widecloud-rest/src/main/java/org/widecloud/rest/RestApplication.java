package org.widecloud.rest;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Our own JAX-RS application (and so our own CXF bus) at {@code /api/v1}: every resource and extension of this
 * bundle selects it by name, so nothing here joins the whiteboard's shared default application.
 */
@Component(service = Application.class)
@JaxrsApplicationBase(RestApplication.BASE)
@JaxrsName(RestApplication.NAME)
public class RestApplication extends Application {
    public static final String NAME = "widecloud";
    public static final String BASE = "api/v1";
    /** Application select filter for resources and extensions of this bundle. */
    public static final String SELECT = "(osgi.jaxrs.name=" + NAME + ")";
    public static final String AUTH = "widecloud.auth";
    public static final String JSON = "widecloud.json";
    /**
     * Resources require the authentication filter and the JSON provider: the whiteboard does not serve a resource
     * until both are present in the application, so no endpoint is ever reachable without authentication.
     */
    public static final String REQUIRE_AUTH = "(osgi.jaxrs.name=" + AUTH + ")";
    public static final String REQUIRE_JSON = "(osgi.jaxrs.name=" + JSON + ")";
}
