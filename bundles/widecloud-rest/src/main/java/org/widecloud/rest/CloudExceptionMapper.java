package org.widecloud.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.widecloud.api.service.CloudException;

/** Service errors carry their own status, title and field. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("widecloud.errors.cloud")
@JaxrsApplicationSelect(RestApplication.SELECT)
public class CloudExceptionMapper implements ExceptionMapper<CloudException> {
    @Override
    public Response toResponse(CloudException e) {
        return Problems.response(e.status(), e.title(), e.getMessage(), e.field());
    }
}
