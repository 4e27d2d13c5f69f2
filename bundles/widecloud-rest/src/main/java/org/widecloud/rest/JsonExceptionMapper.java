package org.widecloud.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.widecloud.api.service.ValidationException;

/** Jackson errors that reach the runtime without passing {@link JsonProvider#readFrom}: 400 naming the field. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("widecloud.errors.json")
@JaxrsApplicationSelect(RestApplication.SELECT)
public class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
        ValidationException v = JsonErrors.toValidation(e);
        return Problems.response(v.status(), v.title(), v.getMessage(), v.field());
    }
}
