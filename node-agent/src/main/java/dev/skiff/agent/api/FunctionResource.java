package dev.skiff.agent.api;

import dev.skiff.agent.invoke.Call;
import dev.skiff.agent.invoke.InvocationService;
import dev.skiff.agent.pool.PoolManager;
import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.Headers;
import dev.skiff.contracts.Names;
import dev.skiff.contracts.PreBoot;
import jakarta.validation.Valid;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Functions on this node: run a call (the gateway's entry into the node), count and stop instances. */
@Path("/v1/functions")
public class FunctionResource {
    private final InvocationService invocations;
    private final PoolManager pools;

    FunctionResource(InvocationService invocations, PoolManager pools) {
        this.invocations = invocations;
        this.pools = pools;
    }

    /**
     * Runs one call of one function version. Not cancelled when the caller hangs up (the gateway
     * died, or gave up): a call that reached the node runs to its end, since only its end frees
     * the instance's slot; cancelling it mid-way left the slot held for good. A call with an id
     * ({@code X-Skiff-Call-Id}) runs once per id: a repeat gets the first run's answer, marked
     * with {@code X-Skiff-Call-Replay}.
     */
    @POST
    @Path("/{name}/invoke")
    @Cancellable(false)
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> invoke(
            @PathParam("name") @Pattern(regexp = Names.FUNCTION) String name,
            @HeaderParam(Headers.FUNCTION_DIGEST) @NotNull @Pattern(regexp = Names.SHA256_DIGEST) String digest,
            @HeaderParam(Headers.CALL_METHOD) @Pattern(regexp = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS") String method,
            @HeaderParam(Headers.CALL_PATH) @Pattern(regexp = "/[^\\s]*") String path,
            @HeaderParam(Headers.CALL_QUERY) @Pattern(regexp = "[^\\s#]*") String query,
            @HeaderParam(Headers.CALL_ID) @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}") String callId,
            @HeaderParam("Content-Type") String contentType,
            byte[] body) {
        Call call = new Call(method == null ? "POST" : method.toUpperCase(Locale.ROOT), path == null ? "/" : path,
                query == null || query.isEmpty() ? null : query, contentType,
                io.vertx.mutiny.core.buffer.Buffer.buffer(body == null ? new byte[0] : body));
        return invocations.invoke(name, digest, call, callId).map(outcome -> Response.status(outcome.result().status())
                .entity(outcome.result().body().getBytes())
                .type(outcome.result().contentType())
                .header(Headers.INSTANCE, outcome.instanceId())
                .header(Headers.START, outcome.cold() ? "cold" : "warm")
                .header(Headers.DURATION_SECONDS, outcome.result().durationSeconds())
                .header(Headers.CALL_REPLAY, outcome.replay())
                .build());
    }

    /** Provisioned concurrency: warm instances of a version now (202 with how many it has or boots). */
    @POST
    @Path("/{name}/instances")
    public Response preBoot(
            @PathParam("name") @Pattern(regexp = Names.FUNCTION) String name,
            @HeaderParam(Headers.FUNCTION_DIGEST) @NotNull @Pattern(regexp = Names.SHA256_DIGEST) String digest,
            @NotNull @Valid PreBoot request) {
        return Response.accepted(Map.of("instances", invocations.preBoot(name, digest, request.count()))).build();
    }

    /** Instance counts per function version. */
    @GET
    public List<FunctionInstances> functions() {
        return pools.counts();
    }

    /** Kills every instance of a function at once (used when it is removed). */
    @DELETE
    @Path("/{name}")
    public Map<String, Integer> stop(@PathParam("name") @Pattern(regexp = Names.FUNCTION) String name) {
        return Map.of("stopped", pools.stopFunction(name));
    }
}
