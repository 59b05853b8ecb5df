package dev.skiff.contracts;

import java.time.Instant;

/**
 * One instance as a node agent reports it; {@code port} is where it serves calls on the node
 * (0 while booting), {@code pid} its process (the VMM for VM drivers).
 */
public record InstanceView(String id, String function, String digest, String state, int activeCalls,
        long invocations, Instant startedAt, Instant lastUsedAt, long pid, int port) {
}
