package org.widecloud.rest;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
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
import org.widecloud.api.model.Volume;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.VolumeService;

@Component(service = VolumesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path(VolumesResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class VolumesResource {
    static final String PATH = "volumes";

    private final VolumeService volumes;

    @Activate
    public VolumesResource(@Reference VolumeService volumes) {
        this.volumes = volumes;
    }

    @GET
    public Page<Volume> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("pool") String pool, @QueryParam("vm") String vm) {
        return volumes.list(Params.page(offset, limit), Params.filter(pool), Params.filter(vm));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.VolumeCreate body, @Context SecurityContext caller, @Context UriInfo uri) {
        Volume v = volumes.create(Callers.user(caller), Params.body(body));
        return Response.created(Links.to(uri, PATH, v.id())).entity(v).build();
    }

    @GET
    @Path("{ref}")
    public Volume get(@PathParam("ref") String ref) {
        return volumes.get(ref);
    }

    /** Grows the volume (never shrinks). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{ref}/resize")
    public Volume resize(@PathParam("ref") String ref, Requests.VolumeResize body, @Context SecurityContext caller) {
        return volumes.resize(Callers.user(caller), ref, Params.body(body));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{ref}/attach")
    public Volume attach(@PathParam("ref") String ref, Requests.VolumeAttach body, @Context SecurityContext caller) {
        return volumes.attach(Callers.user(caller), ref, Params.body(body));
    }

    @POST
    @Path("{ref}/detach")
    public Volume detach(@PathParam("ref") String ref, @Context SecurityContext caller) {
        return volumes.detach(Callers.user(caller), ref);
    }

    /** Refused while the volume is attached. */
    @DELETE
    @Path("{ref}")
    public void delete(@PathParam("ref") String ref, @Context SecurityContext caller) {
        volumes.delete(Callers.user(caller), ref);
    }
}
