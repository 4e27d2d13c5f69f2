package org.widecloud.rest;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Errors the JAX-RS runtime raises (404 unknown path, 405, 406, 415) keep their status and headers (Allow on
 * 405) and get a problem body; server errors keep their status but not their detail.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("widecloud.errors.http")
@JaxrsApplicationSelect(RestApplication.SELECT)
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status >= 500) {
            return UnexpectedExceptionMapper.internalError(e, status);
        }
        Response.ResponseBuilder b = Problems.builder(status, Problems.reason(status), e.getMessage(), null);
        if (original != null) {
            original.getHeaders().forEach((name, values) -> {
                if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                        && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                    values.forEach(v -> b.header(name, v));
                }
            });
        }
        return b.build();
    }
}
