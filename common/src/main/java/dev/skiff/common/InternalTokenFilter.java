package dev.skiff.common;

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

    @ServerRequestFilter(preMatching = true)
    public Response authorize(ContainerRequestContext request) {
        return InternalToken.check(token, request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION)).orElse(null);
    }
}
