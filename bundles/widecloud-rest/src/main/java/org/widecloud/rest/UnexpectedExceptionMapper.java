package org.widecloud.rest;

import java.util.UUID;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything else is our bug: 500 with a generic detail and an incident id; the stack trace goes to the log
 * under that id, never to the client.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("widecloud.errors.unexpected")
@JaxrsApplicationSelect(RestApplication.SELECT)
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        return internalError(e, 500);
    }

    static Response internalError(Throwable e, int status) {
        String incident = UUID.randomUUID().toString();
        LOG.error("REST request failed, incident {}", incident, e);
        return Problems.response(status, Problems.reason(status),
                "internal error; the server log has the details under incident " + incident, null);
    }
}
