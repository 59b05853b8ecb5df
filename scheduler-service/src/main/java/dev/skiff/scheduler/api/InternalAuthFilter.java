package dev.skiff.scheduler.api;

import dev.skiff.common.InternalToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Commands reach this service only with the platform's internal token, when one is set ({@link InternalToken}). */
public class InternalAuthFilter {
    private final Optional<String> token;

    InternalAuthFilter(@ConfigProperty(name = InternalToken.PROPERTY) Optional<String> token) {
        this.token = token;
    }

    @ServerRequestFilter(preMatching = true)
    public Response authorize(ContainerRequestContext request) {
        return InternalToken.check(token, request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION)).orElse(null);
    }
}
