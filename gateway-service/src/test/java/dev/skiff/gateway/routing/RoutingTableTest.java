package dev.skiff.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.NodeCapacity;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.Placement;
import dev.skiff.contracts.PlacementRequest;
import dev.skiff.gateway.GatewayConfig;
import dev.skiff.gateway.functions.DeployedFunction;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static final String DIGEST = "sha256:" + "d".repeat(64);
    private static final DeployedFunction HELLO = new DeployedFunction(new FunctionSpec("hello", "exec", "h", null, null, null,
            128 << 20, 1000, 1, 0, 10, 60, 5), DIGEST, "code/hello:latest", Instant.EPOCH);

    /** The scheduler as the routing table sees it: records placements, places on node "c". */
    private final List<PlacementRequest> placements = new ArrayList<>();
    private boolean schedulerDown;
    /** What the scheduler answers for its nodes. */
    private List<NodeView> schedulerView = List.of();
    private final SchedulerApi scheduler = new SchedulerApi() {
        public Uni<Placement> place(PlacementRequest request) {
            placements.add(request);
            return schedulerDown ? Uni.createFrom().failure(new java.net.ConnectException("refused"))
                    : Uni.createFrom().item(new Placement("c", "http://c"));
        }

        public Uni<List<FunctionInstances>> functions() {
            return Uni.createFrom().item(List.of());
        }

        public Uni<List<NodeView>> nodes() {
            return Uni.createFrom().item(schedulerView);
        }
    };
    private final RoutingTable table = new RoutingTable(scheduler, config());

    private static NodeView node(String id, int instances, Instant heartbeat) {
        return new NodeView(id, "http://" + id, new NodeCapacity(2, 1L << 30, 64), true, heartbeat,
                List.of(new FunctionInstances("hello", DIGEST, 0, instances, 0)), null, null);
    }

    private String route() {
        return table.route(HELLO, Set.of()).await().atMost(Duration.ofSeconds(1)).nodeId();
    }

    @Test
    void theTableHasAViewOnlyOnceTheSchedulerAnsweredEvenWithNoNodes() {
        assertEquals(false, table.hasView());
        table.update(List.of());
        assertEquals(true, table.hasView());
    }

    @Test
    void aCallBeforeTheFirstViewFetchesItInsteadOfAskingForAPlacement() {
        schedulerView = List.of(node("a", 1, Instant.now()));
        assertEquals("a", route(), "the warm instance on a, not a new one wherever the scheduler places it");
        assertEquals(0, placements.size());
        assertEquals(true, table.hasView());
    }

    @Test
    void callsGoToTheLeastLoadedNodeWithAFreeSlotWithoutAskingTheScheduler() {
        table.update(List.of(node("a", 2, Instant.now()), node("b", 1, Instant.now())));
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            chosen.merge(route(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 2, "b", 1), chosen, "three slots, three calls, each on a free slot");
        assertEquals(0, placements.size(), "the warm path never asks the scheduler");
    }

    @Test
    void whenEveryNodeIsFullTheSchedulerPlacesANewInstance() {
        table.update(List.of(node("a", 1, Instant.now())));
        assertEquals("a", route());
        assertEquals("c", route());
        assertEquals(1, placements.size());
        assertEquals(1000, placements.get(0).cpuMillis());
        assertEquals(10, placements.get(0).maxScale());
    }

    @Test
    void finishedCallsFreeTheirSlot() {
        table.update(List.of(node("a", 1, Instant.now())));
        RoutingTable.Route first = table.route(HELLO, Set.of()).await().indefinitely();
        table.done(first);
        assertEquals("a", route());
        assertEquals(0, placements.size());
    }

    @Test
    void anUnreachableNodeIsSkippedUntilItHeartbeatsAgain() {
        table.update(List.of(node("a", 1, Instant.now().minusSeconds(1)), node("b", 1, Instant.now().minusSeconds(1))));
        table.unreachable("a");
        assertEquals("b", route());
        assertEquals("c", route(), "a is quarantined: the scheduler is asked, told to avoid it");
        assertEquals(List.of("a"), placements.get(0).exclude());

        table.update(List.of(node("a", 1, Instant.now().plusSeconds(1)), node("b", 1, Instant.now())));
        assertEquals("a", route(), "a heartbeat after the failure lifts the quarantine");
    }

    @Test
    void whileTheSchedulerIsDownBusyNodesStillTakeCallsToQueueThem() {
        table.update(List.of(node("a", 1, Instant.now())));
        schedulerDown = true;
        assertEquals("a", route());
        assertEquals("a", route(), "a's agent queues the call or boots locally; the scheduler is not needed");
    }

    @Test
    void aRestartedSchedulerThatDoesNotKnowTheNodesYetDoesNotEmptyTheTable() {
        table.update(List.of(node("a", 1, Instant.now())));
        table.update(List.of());
        assertEquals("a", route());
        assertEquals(0, placements.size());
    }

    @Test
    void anAnswerFromANodeTeachesTheTableWithoutAView() {
        table.update(List.of(node("a", 0, Instant.now())));
        RoutingTable.Route placed = table.route(HELLO, Set.of()).await().indefinitely();
        assertEquals("c", placed.nodeId());
        table.update(List.of(node("a", 0, Instant.now()), new NodeView("c", "http://c", new NodeCapacity(2, 1L << 30, 64), true,
                Instant.now(), List.of(), null, null)));
        table.served(placed);
        table.done(placed);
        schedulerDown = true;
        assertEquals("c", route(), "c answered for this version, so it holds an instance of it");
    }

    @Test
    void aNodeTheSchedulerReportsDownIsDroppedAtOnce() {
        table.update(List.of(node("a", 1, Instant.now()), node("b", 1, Instant.now())));
        NodeView down = new NodeView("a", "http://a", new NodeCapacity(2, 1L << 30, 64), false, Instant.now(), List.of(), null, null);
        table.update(List.of(down, node("b", 1, Instant.now())));
        assertEquals("b", route());
        assertEquals("c", route());
    }

    @Test
    void excludedNodesAreNotChosen() {
        table.update(List.of(node("a", 5, Instant.now())));
        assertEquals("c", table.route(HELLO, Set.of("a")).await().indefinitely().nodeId());
        assertEquals(List.of("a"), placements.get(0).exclude());
    }

    private String routeBackTo(String preferred) {
        return table.route(HELLO, Set.of(), preferred).await().atMost(Duration.ofSeconds(1)).nodeId();
    }

    @Test
    void anAsyncCallGoesBackToItsLastNodeWhateverItsLoad() {
        table.update(List.of(node("a", 3, Instant.now()), node("b", 1, Instant.now())));
        route(); // b's one slot is taken
        assertEquals("b", routeBackTo("b"), "b may still run the call, or hold its answer");
        assertEquals(0, placements.size());
    }

    @Test
    void aLastNodeTheViewNoLongerHasIsPassedOver() {
        table.update(List.of(node("a", 1, Instant.now())));
        assertEquals("a", routeBackTo("gone"));
    }

    @Test
    void anUnreachableOrExcludedLastNodeIsPassedOver() {
        table.update(List.of(node("a", 1, Instant.now()), node("b", 1, Instant.now())));
        table.unreachable("b");
        assertEquals("a", routeBackTo("b"));
        assertEquals("c", table.route(HELLO, Set.of("a"), "a").await().atMost(Duration.ofSeconds(1)).nodeId());
    }

    private static GatewayConfig config() {
        return new GatewayConfig() {
            public String storeUrl() { return "http://store"; }
            public Optional<String> storeToken() { return Optional.empty(); }
            public String schedulerUrl() { return "http://scheduler"; }
            public Duration controlPlaneTimeout() { return Duration.ofSeconds(1); }
            public long maxCodeBytes() { return 1; }
            public Defaults defaults() { return null; }
            public Limits limits() { return null; }
            public Kubernetes kubernetes() { return null; }
        };
    }
}
