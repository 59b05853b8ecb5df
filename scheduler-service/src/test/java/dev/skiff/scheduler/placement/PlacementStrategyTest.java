package dev.skiff.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.Heartbeat;
import dev.skiff.contracts.NodeCapacity;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.PlacementRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementStrategyTest {
    private static final PlacementRequest HELLO = new PlacementRequest("hello", "sha256:1", 128 << 20, 500, 0, null);

    private static NodeView node(String id, boolean up, int slots, FunctionInstances... functions) {
        return new NodeView(id, "http://" + id, new NodeCapacity(2, 1L << 30, slots), up, Instant.EPOCH, List.of(functions),
                null, null);
    }

    private static NodeView node(String id, Heartbeat.Reserved reserved, List<String> cached) {
        return new NodeView(id, "http://" + id, new NodeCapacity(2, 1L << 30, 10), true, Instant.EPOCH, List.of(),
                reserved, cached);
    }

    private static FunctionInstances running(String function, String digest, int ready) {
        return new FunctionInstances(function, digest, 0, ready, 0);
    }

    @Test
    void spreadPicksTheLeastLoadedNode() {
        var nodes = List.of(node("a", true, 10, running("x", "d", 3)), node("b", true, 10, running("x", "d", 1)));
        assertEquals("b", new PlacementStrategy("spread").choose(nodes, HELLO).orElseThrow().nodeId());
    }

    @Test
    void binpackPicksTheFullestNodeWithRoom() {
        var nodes = List.of(node("a", true, 10, running("x", "d", 3)), node("b", true, 10, running("x", "d", 1)),
                node("c", true, 4, running("x", "d", 4)));
        assertEquals("a", new PlacementStrategy("binpack").choose(nodes, HELLO).orElseThrow().nodeId());
    }

    @Test
    void downNodesAreNeverChosen() {
        var nodes = List.of(node("a", false, 10), node("b", true, 10, running("x", "d", 5)));
        assertEquals("b", new PlacementStrategy("spread").choose(nodes, HELLO).orElseThrow().nodeId());
        assertTrue(new PlacementStrategy("spread").choose(List.of(node("a", false, 10)), HELLO).isEmpty());
    }

    @Test
    void fullNodesAreNeverChosen() {
        var nodes = List.of(node("a", true, 2, running("x", "d", 2)));
        assertTrue(new PlacementStrategy("spread").choose(nodes, HELLO).isEmpty());
    }

    @Test
    void nodesThatCacheTheArtefactComeFirst() {
        var nodes = List.of(node("a", new Heartbeat.Reserved(0, 0), List.of()),
                node("b", new Heartbeat.Reserved(0, 0), List.of("sha256:1")));
        assertEquals("b", new PlacementStrategy("spread").choose(nodes, HELLO).orElseThrow().nodeId());
    }

    @Test
    void nodesWithoutFreeMemoryOrCpuForTheLimitsAreSkipped() {
        var noMemory = node("a", new Heartbeat.Reserved((1L << 30) - (64 << 20), 0), List.of("sha256:1"));
        var noCpu = node("b", new Heartbeat.Reserved(0, 1800), List.of("sha256:1"));
        var room = node("c", new Heartbeat.Reserved(512L << 20, 1000), List.of());
        assertEquals("c", new PlacementStrategy("spread").choose(List.of(noMemory, noCpu, room), HELLO).orElseThrow().nodeId());
        assertTrue(new PlacementStrategy("spread").choose(List.of(noMemory, noCpu), HELLO).isEmpty());
    }

    @Test
    void excludedNodesAreNotChosen() {
        var nodes = List.of(node("a", true, 10), node("b", true, 10, running("x", "d", 3)));
        var request = new PlacementRequest("hello", null, 1, 1, 0, List.of("a"));
        assertEquals("b", new PlacementStrategy("spread").choose(nodes, request).orElseThrow().nodeId());
    }

    @Test
    void instancesOfAFunctionAreCountedOverNodesThatAreUp() {
        var nodes = List.of(node("a", true, 10, running("hello", "d1", 2)), node("b", true, 10, running("hello", "d2", 1)),
                node("c", false, 10, running("hello", "d1", 5)));
        assertEquals(3, PlacementStrategy.instancesOf(nodes, "hello", null));
    }

    @Test
    void maxScaleCountsOnlyTheInstancesOfTheVersionToPlace() {
        var nodes = List.of(node("a", true, 10, running("hello", "old", 3)), node("b", true, 10, running("hello", "old", 1),
                running("hello", "new", 1)));
        assertEquals(1, PlacementStrategy.instancesOf(nodes, "hello", "new"));
        assertEquals(4, PlacementStrategy.instancesOf(nodes, "hello", "old"));
    }

    @Test
    void unknownStrategyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PlacementStrategy("random"));
    }
}
