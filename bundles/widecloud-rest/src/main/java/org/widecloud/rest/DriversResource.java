package org.widecloud.rest;

import java.util.List;

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
import org.widecloud.api.model.DriverInfo;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.DriverService;

/** Installed hypervisor drivers, mobility and storage backends, in the same envelope as every other list. */
@Component(service = DriversResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@JaxrsExtensionSelect({RestApplication.REQUIRE_AUTH, RestApplication.REQUIRE_JSON})
@Path("drivers")
@Produces(MediaType.APPLICATION_JSON)
public class DriversResource {
    private final DriverService drivers;

    @Activate
    public DriversResource(@Reference DriverService drivers) {
        this.drivers = drivers;
    }

    @GET
    public Page<DriverInfo> list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        PageRequest page = Params.page(offset, limit);
        List<DriverInfo> all = drivers.list();
        int from = Math.min(page.offset(), all.size());
        int to = Math.min(all.size(), from + page.limit());
        return new Page<>(List.copyOf(all.subList(from, to)), all.size(), page.offset(), page.limit());
    }
}
