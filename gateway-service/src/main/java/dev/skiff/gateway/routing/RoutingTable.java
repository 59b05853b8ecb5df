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

    /** How long a node the scheduler stops mentioning stays routable (the scheduler may have restarted). */
    private static final java.time.Duration FORGET_AFTER = java.time.Duration.ofSeconds(15);

    private final SchedulerApi scheduler;
    private final GatewayConfig config;
    /** What the last views said of each node that is up: URL, instances per digest, when. Refresh thread only. */
    private final Map<String, KnownNode> known = new HashMap<>();

    private record KnownNode(String url, Map<String, Integer> instances, Instant seen) {
    }
    /** digest -> node -> instances, from the scheduler's last view (nodes that are up only). */
    private volatile Map<String, Map<String, Integer>> instances = Map.of();
    /** node id -> URL of every node that is up in the last view. */
    private volatile Map<String, String> urls = Map.of();
    /** digest|node -> an instance there that this gateway placed or got an answer from recently. */
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    /** digest|node -> calls in flight from this gateway. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** node -> when this gateway failed to reach it; skipped until it heartbeats again after that. */
    private final Map<String, Instant> quarantined = new ConcurrentHashMap<>();
    /** Whether a view came from the scheduler since this gateway started. */
    private volatile boolean viewed;

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

    synchronized void update(List<NodeView> nodes) {
        Instant now = Instant.now();
        Set<String> reported = new java.util.HashSet<>();
        for (NodeView node : nodes) {
            reported.add(node.nodeId());
            Instant failedAt = quarantined.get(node.nodeId());
            if (failedAt != null && node.lastHeartbeat() != null && node.lastHeartbeat().isAfter(failedAt)) {
                quarantined.remove(node.nodeId());
            }
            if (!node.up()) {
                known.remove(node.nodeId());
                continue;
            }
            Map<String, Integer> byDigest = new HashMap<>();
            node.functions().forEach(f -> byDigest.merge(f.digest(), f.total(), Integer::sum));
            known.put(node.nodeId(), new KnownNode(node.url(), byDigest, now));
        }
        // a node the scheduler does not mention (it restarted and has not heard from it yet) is
        // not a node that is down: keep what was known of it for a while
        known.entrySet().removeIf(e -> !reported.contains(e.getKey()) && e.getValue().seen().isBefore(now.minus(FORGET_AFTER)));
        Map<String, Map<String, Integer>> byDigest = new HashMap<>();
        Map<String, String> up = new HashMap<>();
        known.forEach((id, node) -> {
            up.put(id, node.url());
            node.instances().forEach((digest, count) -> byDigest.computeIfAbsent(digest, d -> new HashMap<>()).put(id, count));
        });
        instances = byDigest;
        urls = up;
        viewed = true;
        Instant expired = now.minusMillis(PENDING_MILLIS);
        pending.values().removeIf(at -> at.isBefore(expired));
    }

    /**
     * The node for the next call: the least-loaded node with a free slot for this version, or one
     * the scheduler places a new instance on. Nodes in {@code exclude} are not chosen. A gateway
     * that has no view yet (it just started) fetches one first: asked blind, the scheduler would
     * refuse a function at maxScale although its instances have free slots.
     */
    public Uni<Route> route(DeployedFunction function, Set<String> exclude) {
        return route(function, exclude, null);
    }

    /**
     * As {@link #route(DeployedFunction, Set)}, but to the node {@code preferred} whatever its load
     * when it is up and reachable: an async call goes back to the node its last run went to, which
     * may still run it or hold its answer. A node the view no longer has is passed over.
     */
    public Uni<Route> route(DeployedFunction function, Set<String> exclude, String preferred) {
        Uni<Void> view = viewed ? Uni.createFrom().voidItem()
                : scheduler.nodes().ifNoItem().after(config.controlPlaneTimeout()).fail()
                        .invoke(this::update)
                        .replaceWithVoid()
                        .onFailure().recoverWithItem(() -> null);
        return view.chain(() -> {
            String url = preferred == null || exclude.contains(preferred) || quarantined.containsKey(preferred) ? null
                    : urls.get(preferred);
            return url != null ? Uni.createFrom().item(hold(function.digest(), new Placement(preferred, url)))
                    : routeWithView(function, exclude);
        });
    }

    private Uni<Route> routeWithView(DeployedFunction function, Set<String> exclude) {
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
                    // no placement (no room, or the scheduler is down or has not heard from the nodes
                    // yet): a node that already runs the function queues the call, within its bound
                    Route busy = leastLoaded(function, exclude, Double.MAX_VALUE);
                    if (busy != null) {
                        return Uni.createFrom().item(busy);
                    }
                    return Uni.createFrom().failure(noRoom
                            ? GatewayException.unavailable("scheduler", "no node has room for another instance of " + function.name())
                            : GatewayException.unavailable("scheduler", e.toString()));
                });
    }

    /**
     * Whether the table holds a view of the nodes yet. Without one every call would ask the
     * scheduler for a placement, which it refuses for a function already at maxScale although
     * its instances have free slots: a gateway is not ready before its first view.
     */
    public boolean hasView() {
        return viewed;
    }

    /** Instances of a version on nodes that are up and reachable, as last seen, plus this gateway's recent placements. */
    public int instancesOf(String digest) {
        return countsOf(digest).entrySet().stream().filter(e -> !quarantined.containsKey(e.getKey()) && urls.containsKey(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
    }

    /** The call is over: its share of the node's slots is free again. */
    public void done(Route route) {
        AtomicInteger calls = inFlight.get(route.key());
        if (calls != null) {
            calls.decrementAndGet();
        }
    }

    /**
     * A node answered a call of this version: it holds an instance of it, whatever the last view
     * says (the agents keep the table current between views, and while the scheduler is away).
     */
    public void served(Route route) {
        pending.put(route.key(), Instant.now());
    }

    /** A node could not be reached: no call goes there until it heartbeats again. */
    public void unreachable(String nodeId) {
        quarantined.put(nodeId, Instant.now());
    }

    /** The node holding the version's instances with the lowest load (calls in flight per slot) below {@code limit}. */
    private Route leastLoaded(DeployedFunction function, Set<String> exclude, double limit) {
        Map<String, Integer> counts = countsOf(function.digest());
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

    /** Instances of a version per node: the last view, and at least one where this gateway just placed one. */
    private Map<String, Integer> countsOf(String digest) {
        Map<String, Integer> counts = new HashMap<>(instances.getOrDefault(digest, Map.of()));
        String prefix = digest + "|";
        pending.keySet().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> counts.merge(k.substring(prefix.length()), 1, Math::max));
        return counts;
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
