package dev.skiff.contracts;

import java.time.Instant;
import java.util.List;

/** The scheduler's view of one node. */
public record NodeView(String nodeId, String url, NodeCapacity capacity, boolean up, Instant lastHeartbeat,
        List<FunctionInstances> functions) {
    public NodeView {
        functions = functions == null ? List.of() : List.copyOf(functions);
    }
}
