package dev.skiff.gateway.routing;

import dev.skiff.contracts.Placement;
import dev.skiff.contracts.PlacementRequest;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.DeployedFunction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Function -> node that serves it. The warm path is a map lookup; only a miss asks the scheduler
 * to place the function (bounded by the control-plane timeout: a slow scheduler answers 503).
 */
@ApplicationScoped
public class RoutingTable {
    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    private final Map<String, Placement> routes = new ConcurrentHashMap<>();
    private final SchedulerApi scheduler;
    private final GatewayConfig config;

    RoutingTable(@RestClient SchedulerApi scheduler, GatewayConfig config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    /** The node for the next call of this function. */
    public Uni<Placement> route(DeployedFunction function) {
        Placement known = routes.get(function.name());
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return scheduler.place(new PlacementRequest(function.name(), function.digest(), function.spec().memoryBytes()))
                .ifNoItem().after(config.controlPlaneTimeout()).fail()
                .onFailure().transform(e -> e instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() == 503
                        ? GatewayException.unavailable("scheduler", "no node has room for " + function.name())
                        : GatewayException.unavailable("scheduler", e.toString()))
                .invoke(placement -> {
                    routes.put(function.name(), placement);
                    LOG.debugf("function %s routed to node %s", function.name(), placement.nodeId());
                });
    }

    /** Forgets a route, after its node failed or the function went away. */
    public void evict(String function) {
        routes.remove(function);
    }
}
