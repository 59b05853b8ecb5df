package dev.skiff.agent.pool;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.Heartbeat;

/**
 * What this node offers instances: slots, memory and CPU. A pool takes a share for each instance
 * it boots and gives it back when the instance goes; a boot the budget cannot cover does not
 * happen, and the call goes to another node. Thread-safe; pools call it under their own lock and
 * it calls nothing back, so locks are always taken pool first, budget second.
 */
public final class NodeBudget {
    private final int slots;
    private final long memoryBytes;
    private final long cpuMillis;
    private int usedSlots;
    private long usedMemory;
    private long usedCpu;

    public NodeBudget(int slots, long memoryBytes, long cpuMillis) {
        this.slots = slots;
        this.memoryBytes = memoryBytes;
        this.cpuMillis = cpuMillis;
    }

    /** Takes one instance's share, or nothing and false when it does not fit. */
    synchronized boolean take(FunctionSpec spec) {
        if (usedSlots + 1 > slots || usedMemory + spec.memoryBytes() > memoryBytes || usedCpu + spec.cpuMillis() > cpuMillis) {
            return false;
        }
        usedSlots++;
        usedMemory += spec.memoryBytes();
        usedCpu += spec.cpuMillis();
        return true;
    }

    synchronized void give(FunctionSpec spec) {
        usedSlots--;
        usedMemory -= spec.memoryBytes();
        usedCpu -= spec.cpuMillis();
    }

    /** What instances hold now, as the heartbeat reports it. */
    public synchronized Heartbeat.Reserved reserved() {
        return new Heartbeat.Reserved(usedMemory, usedCpu);
    }
}
