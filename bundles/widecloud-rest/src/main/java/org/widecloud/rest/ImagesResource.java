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
import org.widecloud.api.model.Image;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ImageService;

@Component(service = ImagesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path(ImagesResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class ImagesResource {
    static final String PATH = "images";

    private final ImageService images;

    @Activate
    public ImagesResource(@Reference ImageService images) {
        this.images = images;
    }

    @GET
    public Page<Image> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        return images.list(Params.page(offset, limit));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.ImageCreate body, @Context SecurityContext caller, @Context UriInfo uri) {
        Image s = images.create(Callers.user(caller), Params.body(body));
        return Response.created(Links.to(uri, PATH, s.id())).entity(s).build();
    }

    /** P2V: converts a raw, qcow2 or vmdk file on the controller to qcow2 and registers it. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("import")
    public Response importImage(Requests.ImageImport body, @Context SecurityContext caller, @Context UriInfo uri) {
        Image i = images.importImage(Callers.user(caller), Params.body(body));
        return Response.created(Links.to(uri, PATH, i.id())).entity(i).build();
    }

    /** A URL-less upload: the body is the image (raw, qcow2 or vmdk), converted to qcow2 and registered. */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Path("upload")
    public Response upload(@QueryParam("name") String name, @QueryParam("format") String format,
            java.io.InputStream body, @Context SecurityContext caller, @Context UriInfo uri) {
        Image i = images.upload(Callers.user(caller), name, format, body);
        return Response.created(Links.to(uri, PATH, i.id())).entity(i).build();
    }

    @GET
    @Path("{ref}")
    public Image get(@PathParam("ref") String ref) {
        return images.get(ref);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("{ref}")
    public Image update(@PathParam("ref") String ref, Requests.ImageUpdate body, @Context SecurityContext caller) {
        return images.update(Callers.user(caller), ref, Params.body(body));
    }

    @DELETE
    @Path("{ref}")
    public void delete(@PathParam("ref") String ref, @Context SecurityContext caller) {
        images.delete(Callers.user(caller), ref);
    }
}
