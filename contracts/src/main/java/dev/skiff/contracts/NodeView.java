package dev.skiff.contracts;

import java.time.Instant;
import java.util.List;

/** The scheduler's view of one node: its last heartbeat, and whether it is up. */
public record NodeView(String nodeId, String url, NodeCapacity capacity, boolean up, Instant lastHeartbeat,
        List<FunctionInstances> functions, Heartbeat.Reserved reserved, List<String> cached) {
    public NodeView {
        functions = functions == null ? List.of() : List.copyOf(functions);
        reserved = reserved == null ? new Heartbeat.Reserved(0, 0) : reserved;
        cached = cached == null ? List.of() : List.copyOf(cached);
    }

    /** Instances of every function on the node. */
    public int instances() {
        return functions.stream().mapToInt(FunctionInstances::total).sum();
    }

    /** Memory not held by instances. */
    public long freeMemoryBytes() {
        return capacity.memoryBytes() - reserved.memoryBytes();
    }

    /** CPU, in thousandths of a vCPU, not held by instances. */
    public long freeCpuMillis() {
        return capacity.vcpus() * 1000L - reserved.cpuMillis();
    }
}
