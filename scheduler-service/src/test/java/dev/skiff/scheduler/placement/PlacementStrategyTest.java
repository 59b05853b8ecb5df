package dev.skiff.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.NodeCapacity;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.PlacementRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementStrategyTest {
    private static final PlacementRequest HELLO = new PlacementRequest("hello", "sha256:1", 128 << 20);

    private static NodeView node(String id, boolean up, int slots, FunctionInstances... functions) {
        return new NodeView(id, "http://" + id, new NodeCapacity(2, 1L << 30, slots), up, Instant.EPOCH, List.of(functions));
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
    void tiesGoToTheNodeThatAlreadyRunsTheVersion() {
        var nodes = List.of(node("a", true, 10, running("x", "d", 1)), node("b", true, 10, running("hello", "sha256:1", 1)));
        assertEquals("b", new PlacementStrategy("spread").choose(nodes, HELLO).orElseThrow().nodeId());
    }

    @Test
    void unknownStrategyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PlacementStrategy("random"));
    }
}
