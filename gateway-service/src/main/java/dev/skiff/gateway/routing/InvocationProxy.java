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
import java.util.function.Function;
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

    /**
     * How an async call goes out: with its id (so a node runs it once), first to the node its last
     * run went to (which may still run it, or hold its answer), and announced before it is sent to
     * a node: {@code sending} is given the node's id and must complete before the call leaves.
     */
    public record Tracking(String callId, String lastNode, Function<String, Uni<Void>> sending) {
    }

    /** One call as the proxy forwards it. */
    private record Forward(DeployedFunction function, String method, String path, String query, String contentType,
            Buffer body, Duration timeout, Tracking tracking) {
    }

    public Uni<Response> invoke(String name, String method, String path, String query, String contentType, Buffer body) {
        return invoke(name, method, path, query, contentType, body, null);
    }

    /** A call; with {@code tracking} (an async call's), it carries its id and goes back to its last node first. */
    public Uni<Response> invoke(String name, String method, String path, String query, String contentType, Buffer body,
            Tracking tracking) {
        long begin = System.nanoTime();
        DeployedFunction function = catalog.find(name);
        if (function == null) {
            return Uni.createFrom().failure(GatewayException.notFound(name));
        }
        Duration timeout = Duration.ofSeconds(function.spec().timeoutSeconds()).plus(SLACK);
        return attempt(new Forward(function, method, path, query, contentType, body, timeout, tracking), new HashSet<>())
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
    private Uni<AgentClient.AgentResponse> attempt(Forward call, Set<String> tried) {
        DeployedFunction function = call.function();
        Tracking tracking = call.tracking();
        String preferred = tracking == null ? null : tracking.lastNode();
        return routing.route(function, tried, preferred).chain(route -> announce(tracking, route)
                .chain(() -> agents.invoke(route.url(), function.name(), function.digest(), call.method(), call.path(), call.query(),
                        call.contentType(), tracking == null ? null : tracking.callId(), call.body(), call.timeout()))
                .onTermination().invoke(() -> routing.done(route))
                .chain(answer -> {
                    if (answer.status() == 503 && answer.headers().containsKey(AgentClient.NODE_FULL)) {
                        return retry(call, tried, route.nodeId(), GatewayException.unavailable("nodes", "no node has room for " + function.name()));
                    }
                    routing.served(route);
                    answer.headers().put(Headers.NODE, route.nodeId());
                    return Uni.createFrom().item(answer);
                })
                .onFailure(e -> !(e instanceof ProblemException)).recoverWithUni(e -> {
                    if (e instanceof java.net.ConnectException) {
                        routing.unreachable(route.nodeId());
                        return retry(call, tried, route.nodeId(), GatewayException.nodeUnavailable(route.nodeId(), "connection refused"));
                    }
                    return Uni.createFrom().failure(e instanceof TimeoutException
                            ? GatewayException.nodeUnavailable(route.nodeId(), "no answer within " + call.timeout().toSeconds() + "s")
                            : GatewayException.nodeUnavailable(route.nodeId(), String.valueOf(e.getMessage())));
                }));
    }

    /** Tells a tracked call's owner where the call is about to go; nothing to do for others. */
    private static Uni<Void> announce(Tracking tracking, RoutingTable.Route route) {
        return tracking == null ? Uni.createFrom().voidItem() : tracking.sending().apply(route.nodeId());
    }

    private Uni<AgentClient.AgentResponse> retry(Forward call, Set<String> tried, String failedNode, GatewayException last) {
        tried.add(failedNode);
        return tried.size() < NODE_ATTEMPTS
                ? attempt(call, tried)
                : Uni.createFrom().failure(last);
    }
}
