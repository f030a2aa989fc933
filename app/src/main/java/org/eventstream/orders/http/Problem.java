package org.eventstream.orders.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code errors} names each offending field of a request.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String type, String title, String detail) {
        return new Problem("/problems/" + type, title, status, detail, null, List.of());
    }

    public static Problem invalidRequest(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new Problem("/problems/invalid-request", "Invalid request", 400, detail, null, List.copyOf(errors));
    }

    public static Problem unprocessable(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields refer to something that cannot be used";
        return new Problem("/problems/unprocessable", "Unprocessable request", 422, detail, null, List.copyOf(errors));
    }

    public Problem at(String requestPath) {
        return new Problem(type, title, status, detail, requestPath, errors);
    }
}
