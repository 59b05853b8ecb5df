package dev.skiff.gateway.routing;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.Placement;
import dev.skiff.contracts.PlacementRequest;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.GatewayException;
import dev.skiff.gateway.functions.DeployedFunction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Function version -> the nodes that hold its instances, and how many calls this gateway has in
 * flight on each. Fed by the scheduler's view of the nodes (refreshed every second) and by this
 * gateway's own placements and failures. The warm path is a map lookup picking the least-loaded
 * node with a free slot; only when no node has one is the scheduler asked to place an instance.
 */
@ApplicationScoped
public class RoutingTable {
    private static final Logger LOG = Logger.getLogger(RoutingTable.class);
    /** A placement counts as an instance on its node until the node's heartbeats show it (or not). */
    private static final long PENDING_MILLIS = 5_000;

    private final SchedulerApi scheduler;
    private final GatewayConfig config;
    /** digest -> node -> instances, from the scheduler's last view (nodes that are up only). */
    private volatile Map<String, Map<String, Integer>> instances = Map.of();
    /** node id -> URL of every node that is up in the last view. */
    private volatile Map<String, String> urls = Map.of();
    /** digest|node -> instance placed there by this gateway, not yet in the view. */
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    /** digest|node -> calls in flight from this gateway. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** node -> when this gateway failed to reach it; skipped until it heartbeats again after that. */
    private final Map<String, Instant> quarantined = new ConcurrentHashMap<>();

    RoutingTable(@RestClient SchedulerApi scheduler, GatewayConfig config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    /** One call's route: the node, and a hold on its share of the node's slots until {@link #done}. */
    public record Route(String nodeId, String url, String key) {
    }

    /** Refreshes the view from the scheduler; keeps the old one while the scheduler is unreachable. */
    @Scheduled(every = "${skiff.gateway.routing-refresh:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        scheduler.nodes().ifNoItem().after(config.controlPlaneTimeout()).fail()
                .subscribe().with(this::update, e -> LOG.debugf("routing view not refreshed: %s", e.toString()));
    }

    void update(List<NodeView> nodes) {
        Map<String, Map<String, Integer>> byDigest = new HashMap<>();
        Map<String, String> up = new HashMap<>();
        for (NodeView node : nodes) {
            Instant failedAt = quarantined.get(node.nodeId());
            if (failedAt != null && node.lastHeartbeat() != null && node.lastHeartbeat().isAfter(failedAt)) {
                quarantined.remove(node.nodeId());
            }
            if (!node.up()) {
                continue;
            }
            up.put(node.nodeId(), node.url());
            for (FunctionInstances f : node.functions()) {
                byDigest.computeIfAbsent(f.digest(), d -> new HashMap<>()).merge(node.nodeId(), f.total(), Integer::sum);
            }
        }
        instances = byDigest;
        urls = up;
        Instant expired = Instant.now().minusMillis(PENDING_MILLIS);
        pending.values().removeIf(at -> at.isBefore(expired));
    }

    /**
     * The node for the next call: the least-loaded node with a free slot for this version, or one
     * the scheduler places a new instance on. Nodes in {@code exclude} are not chosen.
     */
    public Uni<Route> route(DeployedFunction function, Set<String> exclude) {
        Route warm = leastLoaded(function, exclude, 1.0);
        if (warm != null) {
            return Uni.createFrom().item(warm);
        }
        List<String> avoid = new ArrayList<>(exclude);
        avoid.addAll(quarantined.keySet());
        return scheduler.place(new PlacementRequest(function.name(), function.digest(), function.spec().memoryBytes(),
                        function.spec().cpuMillis(), function.spec().maxScale(), avoid))
                .ifNoItem().after(config.controlPlaneTimeout()).fail()
                .map(placement -> {
                    pending.put(key(function.digest(), placement.nodeId()), Instant.now());
                    LOG.debugf("function %s placed on node %s", function.name(), placement.nodeId());
                    return hold(function.digest(), placement);
                })
                .onFailure().recoverWithUni(e -> {
                    boolean noRoom = e instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() == 503;
                    // the scheduler is down or slow: a node that already runs the function can still
                    // queue the call, or boot an instance if it has room
                    Route busy = noRoom ? null : leastLoaded(function, exclude, Double.MAX_VALUE);
                    if (busy != null) {
                        return Uni.createFrom().item(busy);
                    }
                    return Uni.createFrom().failure(noRoom
                            ? GatewayException.unavailable("scheduler", "no node has room for another instance of " + function.name())
                            : GatewayException.unavailable("scheduler", e.toString()));
                });
    }

    /** The call is over: its share of the node's slots is free again. */
    public void done(Route route) {
        AtomicInteger calls = inFlight.get(route.key());
        if (calls != null) {
            calls.decrementAndGet();
        }
    }

    /** A node could not be reached: no call goes there until it heartbeats again. */
    public void unreachable(String nodeId) {
        quarantined.put(nodeId, Instant.now());
    }

    /** The node holding the version's instances with the lowest load (calls in flight per slot) below {@code limit}. */
    private Route leastLoaded(DeployedFunction function, Set<String> exclude, double limit) {
        Map<String, Integer> counts = new HashMap<>(instances.getOrDefault(function.digest(), Map.of()));
        String prefix = function.digest() + "|";
        pending.keySet().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> counts.merge(k.substring(prefix.length()), 1, Math::max));
        Map<String, String> nodes = urls;
        String best = null;
        double bestLoad = limit;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            String node = e.getKey();
            if (exclude.contains(node) || quarantined.containsKey(node) || !nodes.containsKey(node)) {
                continue;
            }
            int slots = e.getValue() * function.spec().concurrency();
            double load = slots == 0 ? Double.MAX_VALUE / 2 : (double) calls(key(function.digest(), node)).get() / slots;
            if (load < bestLoad) {
                best = node;
                bestLoad = load;
            }
        }
        return best == null ? null : hold(function.digest(), new Placement(best, nodes.get(best)));
    }

    private Route hold(String digest, Placement placement) {
        String key = key(digest, placement.nodeId());
        calls(key).incrementAndGet();
        return new Route(placement.nodeId(), placement.url(), key);
    }

    private AtomicInteger calls(String key) {
        return inFlight.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private static String key(String digest, String nodeId) {
        return digest + "|" + nodeId;
    }
}
