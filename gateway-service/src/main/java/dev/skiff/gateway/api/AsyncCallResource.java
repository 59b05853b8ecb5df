package dev.skiff.gateway.api;

import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.async.AsyncCalls;
import dev.skiff.gateway.async.CallStatus;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What became of an accepted asynchronous call: {@code GET /system/async-calls/{id}}. Blocking. */
@Path("/system/async-calls")
@Produces(MediaType.APPLICATION_JSON)
public class AsyncCallResource {
    private final AsyncCalls calls;

    AsyncCallResource(AsyncCalls calls) {
        this.calls = calls;
    }

    @GET
    @Path("/{id}")
    public CallStatus status(@PathParam("id") @Pattern(regexp = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            message = "must be a call id as X-Call-Id gives it") String id) {
        return calls.status(id).orElseThrow(() -> GatewayException.notFound("Call not found", "no async call " + id + " (or its status expired)"));
    }
}
