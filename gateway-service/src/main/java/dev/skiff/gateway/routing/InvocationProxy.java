package dev.skiff.gateway.routing;

import dev.skiff.common.ProblemException;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.gateway.functions.FunctionCatalog;
import dev.skiff.gateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import io.smallrye.mutiny.TimeoutException;

/**
 * The invocation path through the gateway: find the function (memory), route it (memory; the
 * scheduler only on a miss), forward to the node agent, pass its answer back. A node that cannot
 * be reached loses its route, so the next call is placed afresh.
 */
@ApplicationScoped
public class InvocationProxy {
    /** Time the gateway allows on top of the function's own timeout (queueing, a cold start). */
    private static final Duration SLACK = Duration.ofSeconds(35);

    private final FunctionCatalog catalog;
    private final RoutingTable routing;
    private final AgentClient agents;
    private final GatewayMetrics metrics;

    InvocationProxy(FunctionCatalog catalog, RoutingTable routing, AgentClient agents, GatewayMetrics metrics) {
        this.catalog = catalog;
        this.routing = routing;
        this.agents = agents;
        this.metrics = metrics;
    }

    public Uni<Response> invoke(String name, String method, String path, String query, String contentType, Buffer body) {
        long begin = System.nanoTime();
        DeployedFunction function = catalog.find(name);
        if (function == null) {
            return Uni.createFrom().failure(GatewayException.notFound(name));
        }
        Duration timeout = Duration.ofSeconds(function.spec().timeoutSeconds()).plus(SLACK);
        return routing.route(function)
                .chain(node -> agents.invoke(node.url(), name, function.digest(), method, path, query, contentType, body, timeout)
                        .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                            routing.evict(name);
                            return e instanceof TimeoutException
                                    ? GatewayException.nodeUnavailable(node.nodeId(), "no answer within " + timeout.toSeconds() + "s")
                                    : GatewayException.nodeUnavailable(node.nodeId(), e.getMessage());
                        }))
                .map(answer -> {
                    Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body().getBytes());
                    answer.headers().forEach(response::header);
                    return response.build();
                })
                .onItemOrFailure().invoke((response, error) -> metrics.invoked(name,
                        response != null ? response.getStatus() : error instanceof ProblemException p ? p.status() : 500,
                        Duration.ofNanos(System.nanoTime() - begin)));
    }
}
