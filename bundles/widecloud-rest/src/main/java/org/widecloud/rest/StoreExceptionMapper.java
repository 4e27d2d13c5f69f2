package org.widecloud.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.store.StoreException;

/**
 * The inventory store did not answer (database down, pool exhausted): 503 with {@code Retry-After}, since the
 * request may well succeed later; core has already turned the store's refusals (duplicate, stale version) into
 * 409s, so what reaches here is an outage, logged once per request without the SQL.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("widecloud.errors.store")
@JaxrsApplicationSelect(RestApplication.SELECT)
public class StoreExceptionMapper implements ExceptionMapper<StoreException> {
    private static final Logger LOG = LoggerFactory.getLogger(StoreExceptionMapper.class);
    static final String RETRY_AFTER_SECONDS = "5";

    @Override
    public Response toResponse(StoreException e) {
        LOG.warn("REST request failed: the store is unavailable: {}", e.getMessage());
        Response r = Problems.response(503, Problems.reason(503),
                "the inventory store is unavailable; nothing was changed by this request, retry later", null);
        return Response.fromResponse(r).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
