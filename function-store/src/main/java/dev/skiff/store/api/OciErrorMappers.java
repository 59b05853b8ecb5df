package dev.skiff.store.api;

import dev.skiff.common.ProblemMappers;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.OciErrors;
import dev.skiff.store.oci.RegistryException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers every failure on the registry API ({@code /v2/...}) in the OCI error format, taking
 * precedence over the problem+json mappers of the common module, which still answer elsewhere.
 */
public class OciErrorMappers {
    private static final Logger LOG = Logger.getLogger(OciErrorMappers.class);
    private static final int BEFORE_COMMON = Priorities.USER - 100;
    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper(priority = BEFORE_COMMON)
    public Response registry(RegistryException e) {
        if (e.status() >= 500) {
            LOG.warnf(e, "registry failure: %s", e.getMessage());
        }
        Response.ResponseBuilder response = error(e.status(), e.code().name(), e.getMessage(), e.detail());
        e.headers().forEach(response::header);
        return response.build();
    }

    /** JAX-RS failures (no such route, method not allowed, unreadable parameter...). */
    @ServerExceptionMapper(priority = BEFORE_COMMON)
    public Response web(WebApplicationException e, HttpServerRequest uri) {
        if (!isRegistryApi(uri)) {
            return problems.web(e);
        }
        int status = e.getResponse().getStatus();
        OciErrorCode code = switch (status) {
            case 404 -> OciErrorCode.UNSUPPORTED;
            case 413 -> OciErrorCode.SIZE_INVALID;
            default -> status >= 500 ? OciErrorCode.UNKNOWN : OciErrorCode.UNSUPPORTED;
        };
        return error(status, code.name(), e.getMessage(), null).build();
    }

    @ServerExceptionMapper(priority = BEFORE_COMMON)
    public Response invalid(ConstraintViolationException e, HttpServerRequest uri) {
        if (!isRegistryApi(uri)) {
            return problems.invalid(e);
        }
        String detail = e.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted().collect(Collectors.joining("; "));
        return error(400, OciErrorCode.UNSUPPORTED.name(), "invalid request", Map.of("violations", detail)).build();
    }

    /** Anything else is the registry's own failure: logged, and answered as UNKNOWN without internals. */
    @ServerExceptionMapper(priority = BEFORE_COMMON)
    public Response unexpected(RuntimeException e, HttpServerRequest uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.path());
        if (!isRegistryApi(uri)) {
            return ProblemMappers.problem(500, "Internal Server Error", "unexpected failure", null, null).build();
        }
        return error(500, OciErrorCode.UNKNOWN.name(), OciErrorCode.UNKNOWN.message(), null).build();
    }

    /** Decided on the raw path: {@code /v2/%2e%2e/x} is a registry request even though it normalises to {@code /x}. */
    static boolean isRegistryApi(HttpServerRequest request) {
        // the request line as sent: UriInfo would build a java.net.URI, which some paths Vert.x accepts are not
        String path = request.uri().split("\\?", 2)[0];
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    private static Response.ResponseBuilder error(int status, String code, String message, Object detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(OciErrors.of(code, message, detail));
    }
}
