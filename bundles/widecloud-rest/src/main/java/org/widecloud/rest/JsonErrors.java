package org.widecloud.rest;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.widecloud.api.service.ValidationException;

/** Turns Jackson's errors into a validation error naming the JSON field, without Java type names. */
final class JsonErrors {
    static final String BODY = "body";

    private JsonErrors() {
    }

    static ValidationException toValidation(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String expected = e instanceof MismatchedInputException mi ? describe(mi.getTargetType()) : null;
            return new ValidationException(path(m.getPath()),
                    expected == null ? "invalid value" : "wrong type, expected " + expected);
        }
        if (e instanceof MismatchedInputException mi) {
            String expected = describe(mi.getTargetType());
            return new ValidationException(BODY, expected == null ? "invalid value" : "expected " + expected);
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ValidationException(BODY, "malformed JSON" + where + ": " + e.getOriginalMessage());
    }

    /** {@code nics[0].ipv4} from Jackson's reference chain. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? BODY : b.toString();
    }

    static String describe(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return null;
    }
}
