package org.widecloud.rest;

import javax.ws.rs.core.Application;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /**
     * CXF's HTTP transport bundle registers one destination registry for every bus unless this framework
     * property is true; the whiteboard publishes every application at the address "/" of its bus, so with the
     * shared registry each application's servlet (the whiteboard's default one at "/" included) serves whichever
     * application registered last. Measured in Karaf 4.4.10 with Aries 2.0.2 and CXF 3.6.10.
     */
    static final String CXF_SHARED_TRANSPORT_OFF = "org.apache.cxf.osgi.http.transport.disable";
    private static final Logger LOG = LoggerFactory.getLogger(RestApplication.class);

    @Activate
    void activate(BundleContext context) {
        if (!"true".equalsIgnoreCase(String.valueOf(context.getProperty(CXF_SHARED_TRANSPORT_OFF)).strip())) {
            LOG.warn("{} is not true: CXF shares one HTTP destination registry between all JAX-RS applications, "
                    + "so the widecloud API at /{} is also answered under other applications' paths (e.g. /) and "
                    + "another application could shadow it; set {}=true in etc/system.properties",
                    CXF_SHARED_TRANSPORT_OFF, BASE, CXF_SHARED_TRANSPORT_OFF);
        }
    }
}
