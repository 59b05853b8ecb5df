package dev.skiff.store.api;

import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /v2/}: tells clients this is an OCI Distribution (registry/2.0) API, and, when the
 * registry needs credentials and the client sent none, how to authenticate (401 with the challenge).
 */
@Path("/v2")
@AccessRequired(Access.PROBE)
public class ApiVersionResource {

    @GET
    public Response ping() {
        return Response.ok(Map.of(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
