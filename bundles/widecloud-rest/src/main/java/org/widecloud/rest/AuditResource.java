package org.widecloud.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Page;
import org.widecloud.api.service.AuditService;

@Component(service = AuditResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditService audit;

    @Activate
    public AuditResource(@Reference AuditService audit) {
        this.audit = audit;
    }

    /** Newest first; {@code target} (an object id) filters. */
    @GET
    public Page<AuditEvent> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("target") String target) {
        return audit.list(Params.page(offset, limit), Params.filter(target));
    }
}
