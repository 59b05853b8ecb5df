package dev.skiff.scheduler.placement;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.PlacementRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the node for a new instance: a pure function of the nodes' reported state. Only nodes
 * that are up, not excluded, with a free instance slot and enough free memory and CPU for the
 * function's limits qualify. Among them, nodes that already cache the function's artefact come
 * first (no pull); then {@code spread} picks the one with the fewest instances, {@code binpack}
 * the one with the most; ties go to the lowest node id.
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
        Comparator<NodeView> byLoad = Comparator.comparingInt(NodeView::instances);
        if (binpack) {
            byLoad = byLoad.reversed();
        }
        Comparator<NodeView> order = Comparator.<NodeView, Boolean>comparing(node -> !caches(node, request))
                .thenComparing(byLoad)
                .thenComparing(NodeView::nodeId);
        return nodes.stream()
                .filter(NodeView::up)
                .filter(node -> !request.exclude().contains(node.nodeId()))
                .filter(node -> node.instances() < node.capacity().instanceSlots())
                .filter(node -> node.freeMemoryBytes() >= request.memoryBytes())
                .filter(node -> node.freeCpuMillis() >= request.cpuMillis())
                .min(order);
    }

    /**
     * Instances over all nodes that are up that maxScale bounds: those of the version {@code digest}
     * when given, else of every version of the function. A rollout is bounded by its own version
     * only: the older version's instances retire (on each node, at the new version's first call
     * there), and counting them would refuse the new version its first instance for as long as
     * they idle, leaving a function at maxScale unplaceable after an update.
     */
    public static int instancesOf(List<NodeView> nodes, String function, String digest) {
        return nodes.stream().filter(NodeView::up).flatMap(n -> n.functions().stream())
                .filter(f -> f.function().equals(function) && (digest == null || digest.equals(f.digest())))
                .mapToInt(FunctionInstances::total).sum();
    }

    private static boolean caches(NodeView node, PlacementRequest request) {
        return request.digest() != null && node.cached().contains(request.digest());
    }
}
