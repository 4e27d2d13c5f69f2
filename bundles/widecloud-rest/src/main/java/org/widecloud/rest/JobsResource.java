package org.widecloud.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.Page;
import org.widecloud.api.service.JobService;

@Component(service = JobsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
    private final JobService jobs;

    @Activate
    public JobsResource(@Reference JobService jobs) {
        this.jobs = jobs;
    }

    /** Newest first; {@code target} (an object id) and {@code state} filter. */
    @GET
    public Page<Job> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("target") String target, @QueryParam("state") String state) {
        return jobs.list(Params.page(offset, limit), Params.filter(target), Params.filter(state));
    }

    @GET
    @Path("{id}")
    public Job get(@PathParam("id") String id) {
        return jobs.get(id);
    }
}
