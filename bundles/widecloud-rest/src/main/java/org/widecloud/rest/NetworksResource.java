package org.widecloud.rest;

import java.util.List;

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
import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.Network;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.NetworkService;

@Component(service = NetworksResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path(NetworksResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class NetworksResource {
    static final String PATH = "networks";

    private final NetworkService networks;

    @Activate
    public NetworksResource(@Reference NetworkService networks) {
        this.networks = networks;
    }

    @GET
    public Page<Network> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        return networks.list(Params.page(offset, limit));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.NetworkCreate body, @Context SecurityContext caller, @Context UriInfo uri) {
        Network s = networks.create(Callers.user(caller), Params.body(body));
        return Response.created(Links.to(uri, PATH, s.id())).entity(s).build();
    }

    @GET
    @Path("{ref}")
    public Network get(@PathParam("ref") String ref) {
        return networks.get(ref);
    }

    @GET
    @Path("{ref}/bindings")
    public List<MobilityBinding> bindings(@PathParam("ref") String ref) {
        return networks.bindings(ref);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{ref}")
    public Network update(@PathParam("ref") String ref, Requests.NetworkUpdate body, @Context SecurityContext caller) {
        return networks.update(Callers.user(caller), ref, Params.body(body));
    }

    @DELETE
    @Path("{ref}")
    public void delete(@PathParam("ref") String ref, @Context SecurityContext caller) {
        networks.delete(Callers.user(caller), ref);
    }
}
