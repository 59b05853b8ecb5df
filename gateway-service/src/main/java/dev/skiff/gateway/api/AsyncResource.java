package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.async.AsyncCalls;
import dev.skiff.gateway.functions.FunctionCatalog;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * OpenFaaS' asynchronous invocation: {@code POST /async-function/<name>[/<path>]} answers 202 with
 * {@code X-Call-Id} once the call is stored; its answer goes to {@code X-Callback-Url} when given.
 * Blocking methods (they wait for the queue's acknowledgement): they run on worker threads.
 */
@Path("/async-function/{name}")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AsyncResource {
    private final AsyncCalls calls;
    private final FunctionCatalog catalog;

    AsyncResource(AsyncCalls calls, FunctionCatalog catalog) {
        this.calls = calls;
        this.catalog = catalog;
    }

    @POST
    public Response post(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, byte[] body, @Context HttpServerRequest request) {
        return accept(name, "/", body, request);
    }

    @POST
    @Path("/{path: .+}")
    public Response postPath(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, @PathParam("path") String path,
            byte[] body, @Context HttpServerRequest request) {
        return accept(name, "/" + path, body, request);
    }

    private Response accept(String name, String path, byte[] body, HttpServerRequest request) {
        if (catalog.find(name) == null) {
            throw GatewayException.notFound(name);
        }
        String id = calls.accept(name, path, request.query(), request.getHeader("Content-Type"), request.getHeader("X-Callback-Url"),
                body == null ? new byte[0] : body);
        return Response.accepted(Map.of("callId", id, "status", "/system/async-calls/" + id)).header("X-Call-Id", id).build();
    }
}
