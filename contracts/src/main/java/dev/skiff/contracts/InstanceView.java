package dev.skiff.contracts;

import java.time.Instant;

/** One instance as a node agent reports it. */
public record InstanceView(String id, String function, String digest, String state, int activeCalls,
        long invocations, Instant startedAt, Instant lastUsedAt, long pid) {
}
