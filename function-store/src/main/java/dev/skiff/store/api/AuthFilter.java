package dev.skiff.store.api;

import dev.skiff.common.ProblemMappers;
import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessPolicy;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.auth.Credentials;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.OciErrors;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets a request reach its resource method only with the credential the method needs (its
 * {@link AccessRequired}). A missing or wrong credential is 401 with the Basic challenge clients
 * answer by sending their {@code --creds}; a valid token without the right is 403. Registry paths
 * answer in the OCI error format, others in problem+json.
 */
public class AuthFilter {
    /** The challenge on every 401: skopeo, docker and oras then send HTTP Basic credentials. */
    public static final String CHALLENGE = "Basic realm=\"skiff-function-store\"";
    private final AccessPolicy policy;

    AuthFilter(AccessPolicy policy) {
        this.policy = policy;
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        AccessPolicy.Decision decision = policy.decide(required(resource),
                Credentials.token(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        return switch (decision) {
            case ALLOWED -> null;
            case UNAUTHORIZED -> refuse(http, OciErrorCode.UNAUTHORIZED, "valid credentials are required")
                    .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
            case DENIED -> refuse(http, OciErrorCode.DENIED, "this token may not do that").build();
        };
    }

    private static Access required(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        AccessRequired annotation = method == null ? null : method.getAnnotation(AccessRequired.class);
        if (annotation == null && resource.getResourceClass() != null) {
            annotation = resource.getResourceClass().getAnnotation(AccessRequired.class);
        }
        return annotation == null ? Access.PUSH : annotation.value();
    }

    private static Response.ResponseBuilder refuse(HttpServerRequest request, OciErrorCode code, String message) {
        if (OciErrorMappers.isRegistryApi(request)) {
            return Response.status(code.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(OciErrors.of(code.name(), message, null));
        }
        return ProblemMappers.problem(code.status(), code.message(), message, null, null);
    }
}
