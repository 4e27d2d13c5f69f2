package org.widecloud.rest;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.Host;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.HostService;

@Component(service = HostsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path(HostsResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {
    static final String PATH = "hosts";

    private final HostService hosts;

    @Activate
    public HostsResource(@Reference HostService hosts) {
        this.hosts = hosts;
    }

    @GET
    public Page<Host> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("site") String site) {
        return hosts.list(Params.page(offset, limit), Params.filter(site));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.HostCreate body, @Context SecurityContext caller, @Context UriInfo uri) {
        Host s = hosts.create(Callers.user(caller), Params.body(body));
        return Response.created(Links.to(uri, PATH, s.id())).entity(s).build();
    }

    @GET
    @Path("{ref}")
    public Host get(@PathParam("ref") String ref) {
        return hosts.get(ref);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{ref}")
    public Host update(@PathParam("ref") String ref, Requests.HostUpdate body, @Context SecurityContext caller) {
        return hosts.update(Callers.user(caller), ref, Params.body(body));
    }

    /** Reconnects to the host and re-reads its facts and VM states now. */
    @POST
    @Path("{ref}/refresh")
    public Host refresh(@PathParam("ref") String ref, @Context SecurityContext caller) {
        return hosts.refresh(Callers.user(caller), ref);
    }

    @DELETE
    @Path("{ref}")
    public void delete(@PathParam("ref") String ref, @Context SecurityContext caller) {
        hosts.delete(Callers.user(caller), ref);
    }
}
