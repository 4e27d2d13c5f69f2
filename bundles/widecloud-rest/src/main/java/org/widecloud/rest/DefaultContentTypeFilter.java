package org.widecloud.rest;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * This API speaks only JSON: a request without a Content-Type is read as JSON. Without this, a POST or PUT
 * without a body (and so without a type) would be a 415 instead of the 400 that names the missing body.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("widecloud.content-type")
@JaxrsApplicationSelect(RestApplication.SELECT)
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class DefaultContentTypeFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
