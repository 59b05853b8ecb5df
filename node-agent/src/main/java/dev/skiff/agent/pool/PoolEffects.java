package dev.skiff.agent.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a pool decided under its lock and what must happen outside it: calls handed to
 * instances, calls failed, instances to boot and instances to kill. Applying effects outside the
 * lock keeps futures' callbacks and process work from running while the pool is locked.
 */
public final class PoolEffects {
    /** A waiting call and the lease it got. */
    record Handoff(CompletableFuture<Lease> waiter, Lease lease) {
    }

    /** A waiting call and why it failed. */
    record Failure(CompletableFuture<Lease> waiter, RuntimeException error) {
    }

    final List<Handoff> handoffs = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    final List<Instance> toBoot = new ArrayList<>();
    final List<Instance> toKill = new ArrayList<>();

    public List<Instance> toBoot() {
        return toBoot;
    }

    public List<Instance> toKill() {
        return toKill;
    }

    /**
     * Completes the handed-off and failed calls. Call outside the pool's lock. Returns the leases
     * no call took, because it gave up after the pool chose it: they must be released, or their
     * slots stay held for good.
     */
    public List<Lease> completeCalls() {
        List<Lease> untaken = new ArrayList<>();
        handoffs.forEach(h -> {
            if (!h.waiter().complete(h.lease())) {
                untaken.add(h.lease());
            }
        });
        failures.forEach(f -> f.waiter().completeExceptionally(f.error()));
        return untaken;
    }
}
