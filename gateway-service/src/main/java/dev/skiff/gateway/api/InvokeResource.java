package dev.skiff.gateway.api;

import dev.skiff.contracts.Names;
import dev.skiff.gateway.routing.InvocationProxy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.Cancellable;

/**
 * OpenFaaS' synchronous invocation: {@code /function/<name>[/<path>]} with any of the usual
 * methods; the request body goes to the function, its answer comes back. A call is not cancelled
 * when its caller hangs up: it runs on its node to the end and holds its share of the node's
 * slots in the routing table until then (cancelled, it never gave that share back, and warm
 * calls went on asking the scheduler for placements).
 */
@Path("/function/{name}")
@Cancellable(false)
@Consumes(MediaType.WILDCARD)
public class InvokeResource {
    private final InvocationProxy proxy;

    InvokeResource(InvocationProxy proxy) {
        this.proxy = proxy;
    }

    @POST
    public Uni<Response> post(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, byte[] body, @Context HttpServerRequest request) {
        return forward(name, "/", body, request);
    }

    @POST
    @Path("/{path: .+}")
    public Uni<Response> postPath(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, @PathParam("path") String path,
            byte[] body, @Context HttpServerRequest request) {
        return forward(name, "/" + path, body, request);
    }

    @GET
    public Uni<Response> get(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, @Context HttpServerRequest request) {
        return forward(name, "/", null, request);
    }

    @GET
    @Path("/{path: .+}")
    public Uni<Response> getPath(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, @PathParam("path") String path,
            @Context HttpServerRequest request) {
        return forward(name, "/" + path, null, request);
    }

    @PUT
    public Uni<Response> put(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, byte[] body, @Context HttpServerRequest request) {
        return forward(name, "/", body, request);
    }

    @PATCH
    public Uni<Response> patch(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, byte[] body, @Context HttpServerRequest request) {
        return forward(name, "/", body, request);
    }

    @DELETE
    public Uni<Response> delete(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name, @Context HttpServerRequest request) {
        return forward(name, "/", null, request);
    }

    private Uni<Response> forward(String name, String path, byte[] body, HttpServerRequest request) {
        return proxy.invoke(name, request.method().name(), path, request.query(), request.getHeader("Content-Type"),
                io.vertx.mutiny.core.buffer.Buffer.buffer(body == null ? new byte[0] : body));
    }
}
