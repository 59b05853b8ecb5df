package dev.skiff.gateway.health;

import dev.skiff.gateway.functions.FunctionCatalog;
import dev.skiff.gateway.routing.RoutingTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway is ready once it can route calls without the store and the scheduler: its function
 * catalog loaded from the store, and a first view of the nodes from the scheduler. Before either,
 * a (re)started gateway could only answer 503, so it must not be sent traffic yet. Both then live
 * in memory: the gateway stays ready while the store or the scheduler is away.
 */
@ApplicationScoped
public class GatewayReadinessChecks {

    @Produces
    @Readiness
    HealthCheck catalogLoaded(FunctionCatalog catalog) {
        return () -> catalog.loaded()
                ? HealthCheckResponse.named("function catalog").up().withData("functions", catalog.size()).build()
                : HealthCheckResponse.named("function catalog").down().withData("reason", "not loaded from the function store yet").build();
    }

    @Produces
    @Readiness
    HealthCheck routingView(RoutingTable routing) {
        return () -> routing.hasView()
                ? HealthCheckResponse.named("routing view").up().build()
                : HealthCheckResponse.named("routing view").down().withData("reason", "no view of the nodes from the scheduler yet").build();
    }
}
