package dev.skiff.gateway.routing;

import dev.skiff.common.InternalToken;
import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.Placement;
import dev.skiff.contracts.PlacementRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The scheduler's API as the gateway uses it. Callers bound every call with a timeout. */
@RegisterRestClient(configKey = "scheduler")
@Path("/v1")
@ClientHeaderParam(name = "Authorization", value = "{internalAuthorization}", required = false)
public interface SchedulerApi {

    /** The platform's internal token as an Authorization header, or none (the header is then left out). */
    default String internalAuthorization() {
        return ConfigProvider.getConfig().getOptionalValue(InternalToken.PROPERTY, String.class)
                .filter(token -> !token.isEmpty()).map(InternalToken::authorization).orElse(null);
    }

    /** Where a new instance of a function should run. */
    @POST
    @Path("/placements")
    Uni<Placement> place(PlacementRequest request);

    /** Instance counts per function over the nodes that are up. */
    @GET
    @Path("/functions")
    Uni<List<FunctionInstances>> functions();

    /** Every known node. */
    @GET
    @Path("/nodes")
    Uni<List<NodeView>> nodes();
}
