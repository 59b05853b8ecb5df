package dev.skiff.agent.pool;

import dev.skiff.agent.AgentException;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.InstanceView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The warm pool of one function version: its instances and the calls waiting for one. Every
 * state change of the version's instances happens here, under this object's lock; the pool does
 * no I/O, it returns {@link PoolEffects} for the caller to carry out.
 */
public final class FunctionPool {
    private static final Logger LOG = Logger.getLogger(FunctionPool.class);

    private final FunctionVersion version;
    private final int maxQueued;
    private final double headroom;
    private final NodeBudget budget;
    private final Clock clock;
    private final Supplier<String> ids;
    private final List<Instance> instances = new ArrayList<>();
    private final Deque<CompletableFuture<Lease>> waiters = new ArrayDeque<>();
    private boolean retired;
    private int bootFailures;
    private Instant lastBootFailure = Instant.MIN;

    /**
     * @param headroom share of the instances' slots in use at which one more instance boots before
     *                 the others are full; above 1, no instance boots before a call waits
     */
    public FunctionPool(FunctionVersion version, int maxQueued, double headroom, NodeBudget budget, Clock clock,
            Supplier<String> ids) {
        this.version = version;
        this.maxQueued = maxQueued;
        this.headroom = headroom;
        this.budget = budget;
        this.clock = clock;
        this.ids = ids;
    }

    public FunctionVersion version() {
        return version;
    }

    /**
     * Asks for a slot. A free slot on a warm instance is leased at once (a warm start); otherwise
     * the call waits, and a new instance boots unless the ones already booting will serve it.
     *
     * @throws AgentException 429 when the queue is full
     */
    public synchronized CompletableFuture<Lease> acquire(PoolEffects effects) {
        Instance free = instances.stream().filter(Instance::hasFreeSlot)
                .min(Comparator.comparingInt(Instance::activeCalls)).orElse(null);
        if (free != null) {
            free.callStarted();
            bootForHeadroom(effects);
            return CompletableFuture.completedFuture(new Lease(free, false));
        }
        if (waiters.size() >= maxQueued) {
            throw AgentException.queueFull(version.name(), waiters.size());
        }
        CompletableFuture<Lease> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        bootIfNeeded(effects);
        return waiter;
    }

    /** Gives up waiting. False when the call was handed a lease already (the caller must use or release it). */
    public synchronized boolean abandon(CompletableFuture<Lease> waiter) {
        return waiters.remove(waiter);
    }

    /** The driver started an instance this pool asked to boot. False if the pool no longer wants it. */
    public synchronized boolean attach(Instance instance, RunningInstance running) {
        instance.attach(running);
        return instance.state() != InstanceState.STOPPED;
    }

    /** An instance reported ready: it takes as many waiting calls as it has slots (cold starts). */
    public synchronized void ready(Instance instance, Endpoint endpoint, PoolEffects effects) {
        if (instance.state() != InstanceState.BOOTING) {
            return;
        }
        instance.ready(endpoint, clock.instant());
        bootFailures = 0;
        LOG.debugf("function %s instance %s BOOTING -> READY", version.name(), instance.id());
        handOff(instance, true, effects);
        bootForHeadroom(effects);
    }

    /** An instance failed to boot: it is dropped; if nothing else can serve the waiting calls, they fail. */
    public synchronized void bootFailed(Instance instance, String reason, PoolEffects effects) {
        if (!drop(instance)) {
            return;
        }
        bootFailures++;
        lastBootFailure = clock.instant();
        effects.toKill.add(instance);
        boolean anyHope = instances.stream().anyMatch(i -> i.state() != InstanceState.STOPPED);
        if (!anyHope) {
            RuntimeException error = AgentException.bootFailed(version.name(), reason);
            waiters.forEach(w -> effects.failures.add(new PoolEffects.Failure(w, error)));
            waiters.clear();
        } else {
            bootIfNeeded(effects);
        }
    }

    /** A call ended: the slot is free again, for a waiting call or to idle. */
    public synchronized void release(Lease lease, PoolEffects effects) {
        Instance instance = lease.instance();
        if (instance.state() == InstanceState.STOPPED) {
            return;
        }
        instance.callEnded(clock.instant());
        LOG.debugf("function %s instance %s call ended, %d active", version.name(), instance.id(), instance.activeCalls());
        handOff(instance, false, effects);
    }

    /** Removes an instance that died, hung or must go; it is killed by the caller. Idempotent. */
    public synchronized void remove(Instance instance, PoolEffects effects) {
        if (drop(instance)) {
            effects.toKill.add(instance);
            bootIfNeeded(effects);
        }
    }

    /**
     * Boots instances until there are {@code count} (capped by maxScale), without waiting calls:
     * provisioned concurrency. Returns how many instances the pool has or is booting.
     */
    public synchronized int ensureInstances(int count, PoolEffects effects) {
        int target = Math.min(count, version.spec().maxScale());
        while (!retired && instances.size() < target && boot(effects)) {
            // boots until the target, or until the node has no room left
        }
        return instances.size();
    }

    /**
     * Keeps minScale instances, replacing any that died. No-op once retired. After boot failures
     * it waits 2, 4, 8 ... 60 s before trying again, so a function that cannot start does not
     * boot in a tight loop.
     */
    public synchronized void maintain(PoolEffects effects) {
        if (bootFailures > 0) {
            long backoff = Math.min(60, 1L << Math.min(bootFailures, 6));
            if (clock.instant().isBefore(lastBootFailure.plusSeconds(backoff))) {
                return;
            }
        }
        ensureInstances(version.spec().minScale(), effects);
    }

    /**
     * A newer version of the function took over: this pool stops keeping instances warm, and its
     * idle instances go at the next reap; busy ones finish their calls first.
     */
    public synchronized void retire() {
        retired = true;
    }

    /** The version is current again (a rollback): its instances are kept warm as before. */
    public synchronized void reinstate() {
        retired = false;
    }

    public synchronized boolean retired() {
        return retired;
    }

    /** Marks for killing every idle instance kept past its keep-alive, down to minScale. */
    public synchronized void reap(KeepAlivePolicy policy, PoolEffects effects) {
        Instant now = clock.instant();
        Duration keepAlive = retired ? Duration.ZERO : policy.keepAlive(version.spec());
        List<Instance> idle = instances.stream()
                .filter(i -> i.state() == InstanceState.READY && i.activeCalls() == 0)
                .filter(i -> !i.lastUsedAt().plus(keepAlive).isAfter(now))
                .sorted(Comparator.comparing(Instance::lastUsedAt))
                .toList();
        int removable = instances.size() - (retired ? 0 : version.spec().minScale());
        for (Instance instance : idle) {
            if (removable-- <= 0) {
                break;
            }
            LOG.debugf("function %s instance %s idle since %s: READY -> STOPPED", version.name(), instance.id(),
                    instance.lastUsedAt());
            drop(instance);
            effects.toKill.add(instance);
        }
    }

    /** Stops everything: all instances are killed, waiting calls fail. */
    public synchronized void stopAll(RuntimeException reason, PoolEffects effects) {
        for (Instance instance : List.copyOf(instances)) {
            drop(instance);
            effects.toKill.add(instance);
        }
        waiters.forEach(w -> effects.failures.add(new PoolEffects.Failure(w, reason)));
        waiters.clear();
    }

    public synchronized FunctionInstances counts() {
        int booting = 0;
        int ready = 0;
        int busy = 0;
        for (Instance i : instances) {
            switch (i.state()) {
                case BOOTING -> booting++;
                case READY -> ready++;
                case BUSY -> busy++;
                default -> { }
            }
        }
        return new FunctionInstances(version.name(), version.digest(), booting, ready, busy);
    }

    public synchronized int queued() {
        return waiters.size();
    }

    /** The instances now, for metering. */
    public synchronized List<Instance> instances() {
        return List.copyOf(instances);
    }

    public synchronized List<InstanceView> views() {
        return instances.stream().map(Instance::view).toList();
    }

    public synchronized boolean isIdle() {
        return instances.isEmpty() && waiters.isEmpty();
    }

    /** Boots one more instance when the waiting calls outnumber the slots coming up, within maxScale. */
    private void bootIfNeeded(PoolEffects effects) {
        FunctionSpec spec = version.spec();
        long booting = instances.stream().filter(i -> i.state() == InstanceState.BOOTING).count();
        if (waiters.size() > booting * spec.concurrency() && instances.size() < spec.maxScale() && !boot(effects)
                && instances.isEmpty()) {
            RuntimeException full = AgentException.nodeFull(version.name());
            waiters.forEach(w -> effects.failures.add(new PoolEffects.Failure(w, full)));
            waiters.clear();
        }
    }

    /**
     * The headroom rule: when the calls in flight fill {@code headroom} of the slots of the
     * instances that are up, boot one more (one at a time, within maxScale), so the next call
     * finds a warm instance instead of waiting for a boot.
     */
    private void bootForHeadroom(PoolEffects effects) {
        if (retired || instances.size() >= version.spec().maxScale()
                || instances.stream().anyMatch(i -> i.state() == InstanceState.BOOTING)) {
            return;
        }
        int slots = instances.size() * version.spec().concurrency();
        int active = instances.stream().mapToInt(Instance::activeCalls).sum();
        if (active >= headroom * slots) {
            boot(effects);
        }
    }

    /** Boots one more instance if the node has room for it; false when it has not. */
    private boolean boot(PoolEffects effects) {
        if (!budget.take(version.spec())) {
            LOG.debugf("function %s: no room on this node for another instance", version.name());
            return false;
        }
        Instance instance = new Instance(ids.get(), version, clock.instant());
        instances.add(instance);
        effects.toBoot.add(instance);
        LOG.debugf("function %s instance %s -> BOOTING (%d waiting)", version.name(), instance.id(), waiters.size());
        return true;
    }

    private void handOff(Instance instance, boolean cold, PoolEffects effects) {
        while (!waiters.isEmpty() && instance.hasFreeSlot()) {
            CompletableFuture<Lease> waiter = waiters.poll();
            if (waiter.isDone()) {
                continue;   // the call gave up waiting (timed out, or its caller went away): no slot for it
            }
            instance.callStarted();
            effects.handoffs.add(new PoolEffects.Handoff(waiter, new Lease(instance, cold)));
        }
    }

    private boolean drop(Instance instance) {
        boolean present = instances.remove(instance);
        instance.stopped();
        if (present) {
            budget.give(version.spec());
        }
        return present;
    }
}
