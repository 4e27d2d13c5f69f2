package org.widecloud.rest;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
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
import org.widecloud.api.model.Pool;
import org.widecloud.api.service.PoolService;
import org.widecloud.api.service.Requests;

/** Storage pools; {@link PoolService} masks their secret parameters in everything it returns. */
@Component(service = PoolsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path(PoolsResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class PoolsResource {
    static final String PATH = "pools";

    private final PoolService pools;

    @Activate
    public PoolsResource(@Reference PoolService pools) {
        this.pools = pools;
    }

    /** {@code site}: that site's pools and the wide-area ones. */
    @GET
    public Page<Pool> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("site") String site) {
        return pools.list(Params.page(offset, limit), Params.filter(site));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.PoolCreate body, @Context SecurityContext caller, @Context UriInfo uri) {
        Pool p = pools.create(Callers.user(caller), Params.body(body));
        return Response.created(Links.to(uri, PATH, p.id())).entity(p).build();
    }

    @GET
    @Path("{ref}")
    public Pool get(@PathParam("ref") String ref) {
        return pools.get(ref);
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{ref}")
    public Pool update(@PathParam("ref") String ref, Requests.PoolUpdate body, @Context SecurityContext caller) {
        return pools.update(Callers.user(caller), ref, Params.body(body));
    }

    /** Asks the backend for capacity and use now. */
    @POST
    @Path("{ref}/refresh")
    public Pool refresh(@PathParam("ref") String ref, @Context SecurityContext caller) {
        return pools.refresh(Callers.user(caller), ref);
    }

    @DELETE
    @Path("{ref}")
    public void delete(@PathParam("ref") String ref, @Context SecurityContext caller) {
        pools.delete(Callers.user(caller), ref);
    }
}
