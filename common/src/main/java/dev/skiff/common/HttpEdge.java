package dev.skiff.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gives a body to the answers Vert.x and Quarkus make before a request reaches a REST resource, so
 * that every 4xx says what was wrong: a body declared larger than {@code quarkus.http.limits.max-body-size}
 * is refused with 413 at once (before a byte of it is read, instead of Quarkus' empty 413), and a
 * routing failure without an exception (a path whose percent-encoding cannot be decoded, ...) is
 * answered with its status and a problem+json (or the service's own {@link ErrorFormat}) body.
 * What it cannot reach: requests that are not HTTP at all (a control character in a header, a
 * Content-Length that is no number) are refused by Vert.x' HTTP codec with an empty 400, and a
 * chunked body that grows past the limit gets Quarkus' empty 413 while it is being read.
 */
@ApplicationScoped
public class HttpEdge {
    private final long maxBodyBytes;
    private final Instance<ErrorFormat> formats;
    private final ObjectMapper json = new ObjectMapper();

    HttpEdge(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize,
            Instance<ErrorFormat> formats) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.formats = formats;
    }

    void install(@Observes Router router) {
        // before Quarkus' own upload limit (ROUTE_ORDER_UPLOAD_LIMIT), which would answer an empty 413
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::limitBody).failureHandler(this::failed);
        // a path the router cannot decode (a broken %-escape: see RouterDecodesUris) fails while routes
        // are matched, before any failure handler: the router's error handler for 400 answers it
        router.errorHandler(400, ctx -> answer(ctx, 400, "Bad Request",
                "the request's path cannot be decoded: check its percent-encoding"));
    }

    /** The largest request body accepted, in bytes. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    private void limitBody(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBodyBytes) {
            // the body is never read: the connection cannot carry another request, so it closes once answered
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.response().endHandler(done -> ctx.request().connection().close());
            answer(ctx, 413, "Payload too large", "the request body has " + length.strip() + " bytes; at most "
                    + maxBodyBytes + " are accepted (quarkus.http.limits.max-body-size)");
            return;
        }
        ctx.next();
    }

    /** Failures that carry no exception are answered here; the others go on to the mappers and Quarkus. */
    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.failure() != null || status < 400 || status >= 500 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        answer(ctx, status, reason(status), switch (status) {
            case 400 -> "the request cannot be read: check its path's percent-encoding";
            case 404 -> "nothing is served at " + ctx.request().path();
            case 405 -> "method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
            default -> reason(status);
        });
    }

    private void answer(RoutingContext ctx, int status, String title, String detail) {
        String rawPath = rawPath(ctx.request().uri());
        Optional<ErrorFormat.Body> own = formats.isResolvable() ? formats.get().body(rawPath, status, detail) : Optional.empty();
        String contentType;
        String body;
        if (own.isPresent()) {
            contentType = own.get().contentType();
            body = own.get().json();
        } else {
            contentType = Problem.MEDIA_TYPE;
            try {
                body = json.writeValueAsString(ProblemMappers.problem(status, title, detail, null, null).build().getEntity());
            } catch (JsonProcessingException e) {
                body = "{\"title\":\"" + title + "\",\"status\":" + status + "}";
            }
        }
        HttpServerResponse response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        response.end(body);
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;   // more digits than a long holds; anything else Netty refused already
        }
    }

    private static String rawPath(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported Media Type";
            default -> "Request refused";
        };
    }
}
