package dev.skiff.gateway.routing;

import dev.skiff.common.ProblemException;
import dev.skiff.contracts.Headers;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.DeployedFunction;
import dev.skiff.gateway.functions.FunctionCatalog;
import dev.skiff.gateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import io.smallrye.mutiny.TimeoutException;

/**
 * The invocation path through the gateway: find the function (memory), route it (memory; the
 * scheduler only when no node has a free slot), forward to the node agent, pass its answer back.
 * A call no instance received (node unreachable, or full) is sent to another node.
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

    /** Nodes tried for one call before giving up, when calls were refused before reaching an instance. */
    private static final int NODE_ATTEMPTS = 3;

    public Uni<Response> invoke(String name, String method, String path, String query, String contentType, Buffer body) {
        long begin = System.nanoTime();
        DeployedFunction function = catalog.find(name);
        if (function == null) {
            return Uni.createFrom().failure(GatewayException.notFound(name));
        }
        Duration timeout = Duration.ofSeconds(function.spec().timeoutSeconds()).plus(SLACK);
        return attempt(function, method, path, query, contentType, body, timeout, new HashSet<>())
                .map(answer -> {
                    Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body().getBytes());
                    answer.headers().forEach(response::header);
                    return response.build();
                })
                .onItemOrFailure().invoke((response, error) -> metrics.invoked(name,
                        response != null ? response.getStatus() : error instanceof ProblemException p ? p.status() : 500,
                        Duration.ofNanos(System.nanoTime() - begin)));
    }

    /**
     * One try on one node. A node that refuses the connection or has no room never ran the call,
     * so the call goes to another node; anything else is the answer.
     */
    private Uni<AgentClient.AgentResponse> attempt(DeployedFunction function, String method, String path, String query,
            String contentType, Buffer body, Duration timeout, Set<String> tried) {
        return routing.route(function, tried).chain(route -> agents
                .invoke(route.url(), function.name(), function.digest(), method, path, query, contentType, body, timeout)
                .onTermination().invoke(() -> routing.done(route))
                .chain(answer -> {
                    if (answer.status() == 503 && answer.headers().containsKey(AgentClient.NODE_FULL)) {
                        return retry(function, method, path, query, contentType, body, timeout, tried, route.nodeId(),
                                GatewayException.unavailable("nodes", "no node has room for " + function.name()));
                    }
                    routing.served(route);
                    answer.headers().put(Headers.NODE, route.nodeId());
                    return Uni.createFrom().item(answer);
                })
                .onFailure(e -> !(e instanceof ProblemException)).recoverWithUni(e -> {
                    if (e instanceof java.net.ConnectException) {
                        routing.unreachable(route.nodeId());
                        return retry(function, method, path, query, contentType, body, timeout, tried, route.nodeId(),
                                GatewayException.nodeUnavailable(route.nodeId(), "connection refused"));
                    }
                    return Uni.createFrom().failure(e instanceof TimeoutException
                            ? GatewayException.nodeUnavailable(route.nodeId(), "no answer within " + timeout.toSeconds() + "s")
                            : GatewayException.nodeUnavailable(route.nodeId(), String.valueOf(e.getMessage())));
                }));
    }

    private Uni<AgentClient.AgentResponse> retry(DeployedFunction function, String method, String path, String query,
            String contentType, Buffer body, Duration timeout, Set<String> tried, String failedNode, GatewayException last) {
        tried.add(failedNode);
        return tried.size() < NODE_ATTEMPTS
                ? attempt(function, method, path, query, contentType, body, timeout, tried)
                : Uni.createFrom().failure(last);
    }
}
