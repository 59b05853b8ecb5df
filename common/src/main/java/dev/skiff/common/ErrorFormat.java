package dev.skiff.common;

import java.util.Optional;

/**
 * How a service words a failure that no REST resource saw (a body over the size limit, a path that
 * cannot be decoded), when problem+json is not its format for that path: the function store answers
 * its registry API in the OCI error format. A service without such a bean answers problem+json.
 */
public interface ErrorFormat {

    /** The content type and body for {@code status} on {@code rawPath}, or empty for problem+json. */
    Optional<Body> body(String rawPath, int status, String detail);

    /** A ready body and its content type. */
    record Body(String contentType, String json) {
    }
}
