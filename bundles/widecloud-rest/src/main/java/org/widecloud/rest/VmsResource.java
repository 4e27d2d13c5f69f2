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
import javax.ws.rs.core.HttpHeaders;
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
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.Vm;
import org.widecloud.api.service.JobService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.VmService;

/** VMs: everything that touches a hypervisor answers with a job (see {@link JobResponses}). */
@Component(service = VmsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path(VmsResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class VmsResource {
    static final String PATH = "vms";
    private static final String PREFER = "Prefer";

    private final VmService vms;
    private final JobResponses responses;

    @Activate
    public VmsResource(@Reference VmService vms, @Reference JobService jobs) {
        this.vms = vms;
        this.responses = new JobResponses(jobs);
    }

    @GET
    public Page<Vm> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("host") String host, @QueryParam("state") String state) {
        return vms.list(Params.page(offset, limit), Params.filter(host), Params.filter(state));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.VmCreate body, @Context SecurityContext caller, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return responses.respond(vms.create(Callers.user(caller), Params.body(body)), prefer(headers), uri, PATH,
                job -> vms.get(job.target()));
    }

    @GET
    @Path("{ref}")
    public Vm get(@PathParam("ref") String ref) {
        return vms.get(ref);
    }

    @PUT
    @Path("{ref}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Vm update(@PathParam("ref") String ref, Requests.VmUpdate body, @Context SecurityContext caller) {
        return vms.update(Callers.user(caller), ref, Params.body(body));
    }

    @DELETE
    @Path("{ref}")
    public Response delete(@PathParam("ref") String ref, @Context SecurityContext caller, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return responses.respond(vms.delete(Callers.user(caller), ref), prefer(headers), uri);
    }

    @POST
    @Path("{ref}/start")
    public Response start(@PathParam("ref") String ref, @Context SecurityContext caller, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return responses.respond(vms.start(Callers.user(caller), ref), prefer(headers), uri);
    }

    /** Graceful shutdown; {@code timeout} seconds before it is forced off (absent: the configured default). */
    @POST
    @Path("{ref}/stop")
    public Response stop(@PathParam("ref") String ref, @QueryParam("timeout") String timeout,
            @Context SecurityContext caller, @Context UriInfo uri, @Context HttpHeaders headers) {
        return responses.respond(vms.stop(Callers.user(caller), ref, Params.seconds("timeout", timeout)),
                prefer(headers), uri);
    }

    @POST
    @Path("{ref}/reboot")
    public Response reboot(@PathParam("ref") String ref, @Context SecurityContext caller, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return responses.respond(vms.reboot(Callers.user(caller), ref), prefer(headers), uri);
    }

    @POST
    @Path("{ref}/destroy")
    public Response destroy(@PathParam("ref") String ref, @Context SecurityContext caller, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return responses.respond(vms.destroy(Callers.user(caller), ref), prefer(headers), uri);
    }

    /** Live migration to {@code host}, or a host of {@code site}: a job running the migration saga. */
    @POST
    @Path("{ref}/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response migrate(@PathParam("ref") String ref, Requests.VmMigrate body, @Context SecurityContext caller,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        return responses.respond(vms.migrate(Callers.user(caller), ref, Params.body(body)), prefer(headers), uri);
    }

    /** The VM's migration journal, newest first: steps, libvirt's downtime, bytes, time. */
    @GET
    @Path("{ref}/migrations")
    public Page<Migration> migrations(@PathParam("ref") String ref, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit) {
        return vms.migrations(ref, Params.page(offset, limit));
    }

    private static List<String> prefer(HttpHeaders headers) {
        return headers.getRequestHeader(PREFER);
    }
}
