package dev.skiff.common;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Commands under {@code /v1/} (the node agent's and the scheduler's internal APIs; the other
 * services have none) reach a service only with the platform's internal token, when one is set
 * ({@link InternalToken}).
 */
public class InternalTokenFilter {
    private final Optional<String> token;

    InternalTokenFilter(@ConfigProperty(name = InternalToken.PROPERTY) Optional<String> token) {
        this.token = token;
    }

    /** Reads the raw request target: building a URI from it throws on paths a fuzzer sends (a 500, not a 4xx). */
    @ServerRequestFilter(preMatching = true)
    public Response authorize(ContainerRequestContext request, HttpServerRequest http) {
        String target = http.uri();
        int query = target.indexOf('?');
        return InternalToken.check(token, request.getMethod(), query < 0 ? target : target.substring(0, query),
                request.getHeaderString(HttpHeaders.AUTHORIZATION)).orElse(null);
    }
}
