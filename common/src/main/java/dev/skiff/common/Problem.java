package dev.skiff.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 7807 problem+json body. {@code field} names the offending input (a JSON field, a path
 * parameter, a header); {@code errors} lists every violation when there are several.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
