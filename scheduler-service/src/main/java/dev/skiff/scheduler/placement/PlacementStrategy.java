package dev.skiff.scheduler.placement;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.PlacementRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the node for a new instance: a pure function of the nodes' reported state. Only nodes
 * that are up and have a free instance slot qualify; {@code spread} picks the one with the fewest
 * instances, {@code binpack} the one with the most. Ties go to the node that already runs the
 * function's version (its artefact is cached there), then to the lowest node id.
 */
public final class PlacementStrategy {
    private final boolean binpack;

    public PlacementStrategy(String name) {
        this.binpack = switch (name) {
            case "spread" -> false;
            case "binpack" -> true;
            default -> throw new IllegalArgumentException("unknown placement strategy '" + name + "' (spread or binpack)");
        };
    }

    /** The chosen node, or empty when no node that is up has room. */
    public Optional<NodeView> choose(List<NodeView> nodes, PlacementRequest request) {
        Comparator<NodeView> byLoad = Comparator.comparingInt(PlacementStrategy::instances);
        if (binpack) {
            byLoad = byLoad.reversed();
        }
        Comparator<NodeView> order = byLoad
                .thenComparing(node -> !holds(node, request))
                .thenComparing(NodeView::nodeId);
        return nodes.stream()
                .filter(NodeView::up)
                .filter(node -> instances(node) < node.capacity().instanceSlots())
                .min(order);
    }

    static int instances(NodeView node) {
        return node.functions().stream().mapToInt(FunctionInstances::total).sum();
    }

    private static boolean holds(NodeView node, PlacementRequest request) {
        return node.functions().stream().anyMatch(f -> f.function().equals(request.function())
                && (request.digest() == null || request.digest().equals(f.digest())));
    }
}
