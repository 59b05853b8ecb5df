package dev.skiff.agent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.MutableClock;
import dev.skiff.agent.AgentException;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.Endpoint;
import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FunctionPoolTest {
    private static final Endpoint ENDPOINT = new Endpoint("127.0.0.1", 1234);
    private final MutableClock clock = new MutableClock();
    private NodeBudget budget = new NodeBudget(64, 8L << 30, 64_000);
    private final KeepAlivePolicy tenSeconds = spec -> Duration.ofSeconds(spec.idleTimeoutSeconds());

    private static FunctionVersion version(int concurrency, int minScale, int maxScale) {
        FunctionSpec spec = new FunctionSpec("hello", "exec", "handler.sh", null, null, null, 128 << 20, 1000,
                concurrency, minScale, maxScale, 10, 5);
        return new FunctionVersion(spec, "sha256:" + "a".repeat(64), Path.of("/tmp/code"));
    }

    /** A pool without the headroom rule, so each test sees only the behaviour it is about. */
    private FunctionPool pool(int concurrency, int minScale, int maxScale, int maxQueued) {
        return pool(concurrency, minScale, maxScale, maxQueued, 2.0);
    }

    private FunctionPool pool(int concurrency, int minScale, int maxScale, int maxQueued, double headroom) {
        AtomicInteger ids = new AtomicInteger();
        return new FunctionPool(version(concurrency, minScale, maxScale), maxQueued, headroom, budget, clock,
                () -> "i" + ids.incrementAndGet());
    }

    private void bootAll(FunctionPool pool, PoolEffects effects) {
        for (Instance booted : effects.toBoot()) {
            PoolEffects ready = new PoolEffects();
            pool.ready(booted, ENDPOINT, ready);
            ready.completeCalls();
        }
    }

    /** Acquires, and makes whatever instance the pool asked to boot ready. */
    private Lease acquireAndBoot(FunctionPool pool) throws Exception {
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> lease = pool.acquire(effects);
        for (Instance booted : effects.toBoot()) {
            PoolEffects ready = new PoolEffects();
            pool.ready(booted, ENDPOINT, ready);
            ready.completeCalls();
        }
        return lease.get();
    }

    @Test
    void aCallThatGaveUpWaitingIsNotGivenTheSlot() {
        FunctionPool pool = pool(1, 0, 5, 10);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> gaveUp = pool.acquire(effects);
        gaveUp.cancel(false);   // what Mutiny does to the waiter when the call is cancelled or times out

        PoolEffects ready = new PoolEffects();
        pool.ready(effects.toBoot().get(0), ENDPOINT, ready);
        assertEquals(java.util.List.of(), ready.completeCalls());
        assertEquals(1, pool.counts().ready(), "the instance idles instead of serving no one");
        assertEquals(0, pool.counts().busy());
    }

    @Test
    void aLeaseTheCallNoLongerTakesIsReturnedToBeReleased() {
        FunctionPool pool = pool(1, 0, 5, 10);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> gaveUp = pool.acquire(effects);
        PoolEffects ready = new PoolEffects();
        pool.ready(effects.toBoot().get(0), ENDPOINT, ready);
        gaveUp.cancel(false);   // between the pool's choice (under its lock) and the hand-off (outside it)

        java.util.List<Lease> untaken = ready.completeCalls();
        assertEquals(1, untaken.size());
        pool.release(untaken.get(0), new PoolEffects());
        assertEquals(1, pool.counts().ready());
        assertEquals(0, pool.counts().busy());
    }

    @Test
    void firstCallBootsAnInstanceAndWaitsForIt() {
        FunctionPool pool = pool(1, 0, 5, 10);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> lease = pool.acquire(effects);
        assertEquals(1, effects.toBoot().size());
        assertFalse(lease.isDone(), "a call is never given to a BOOTING instance");
        assertEquals(1, pool.counts().booting());

        PoolEffects ready = new PoolEffects();
        pool.ready(effects.toBoot().get(0), ENDPOINT, ready);
        ready.completeCalls();
        assertTrue(lease.join().cold());
        assertEquals(1, pool.counts().busy());
    }

    @Test
    void secondCallReusesTheWarmInstance() throws Exception {
        FunctionPool pool = pool(1, 0, 5, 10);
        Lease first = acquireAndBoot(pool);
        pool.release(first, new PoolEffects());
        assertEquals(1, pool.counts().ready());

        PoolEffects effects = new PoolEffects();
        Lease second = pool.acquire(effects).join();
        assertTrue(effects.toBoot().isEmpty());
        assertFalse(second.cold());
        assertSame(first.instance(), second.instance());
    }

    @Test
    void callsQueuedBehindABootDoNotBootOneInstanceEach() {
        FunctionPool pool = pool(2, 0, 5, 10);
        PoolEffects first = new PoolEffects();
        pool.acquire(first);
        PoolEffects second = new PoolEffects();
        pool.acquire(second);
        assertEquals(1, first.toBoot().size());
        assertTrue(second.toBoot().isEmpty(), "the booting instance has a second slot for the second call");
        PoolEffects third = new PoolEffects();
        pool.acquire(third);
        assertEquals(1, third.toBoot().size(), "a third call exceeds the slots coming up");
    }

    @Test
    void concurrencyLetsOneInstanceServeSeveralCalls() throws Exception {
        FunctionPool pool = pool(2, 0, 5, 10);
        Lease first = acquireAndBoot(pool);
        PoolEffects effects = new PoolEffects();
        Lease second = pool.acquire(effects).join();
        assertSame(first.instance(), second.instance());
        assertTrue(effects.toBoot().isEmpty());
    }

    @Test
    void busyInstanceAtMaxScaleQueuesAndHandsOffOnRelease() throws Exception {
        FunctionPool pool = pool(1, 0, 1, 10);
        Lease first = acquireAndBoot(pool);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> waiting = pool.acquire(effects);
        assertTrue(effects.toBoot().isEmpty(), "maxScale is never exceeded");
        assertEquals(1, pool.queued());

        PoolEffects released = new PoolEffects();
        pool.release(first, released);
        released.completeCalls();
        assertSame(first.instance(), waiting.join().instance());
        assertFalse(waiting.join().cold());
        assertEquals(0, pool.queued());
    }

    @Test
    void fullQueueIsRefusedWith429() throws Exception {
        FunctionPool pool = pool(1, 0, 1, 1);
        acquireAndBoot(pool);
        pool.acquire(new PoolEffects());
        AgentException e = assertThrows(AgentException.class, () -> pool.acquire(new PoolEffects()));
        assertEquals(429, e.status());
    }

    @Test
    void idleInstanceIsKilledAfterTimeout() throws Exception {
        FunctionPool pool = pool(1, 0, 5, 10);
        Lease lease = acquireAndBoot(pool);
        pool.release(lease, new PoolEffects());

        clock.advance(Duration.ofSeconds(9));
        PoolEffects early = new PoolEffects();
        pool.reap(tenSeconds, early);
        assertTrue(early.toKill().isEmpty(), "not idle long enough yet");

        clock.advance(Duration.ofSeconds(1));
        PoolEffects due = new PoolEffects();
        pool.reap(tenSeconds, due);
        assertEquals(1, due.toKill().size());
        assertEquals(0, pool.counts().total());
    }

    @Test
    void busyInstanceIsNeverReaped() throws Exception {
        FunctionPool pool = pool(1, 0, 5, 10);
        acquireAndBoot(pool);
        clock.advance(Duration.ofMinutes(5));
        PoolEffects effects = new PoolEffects();
        pool.reap(tenSeconds, effects);
        assertTrue(effects.toKill().isEmpty());
    }

    @Test
    void reapingStopsAtMinScale() throws Exception {
        FunctionPool pool = pool(1, 1, 5, 10);
        Lease lease = acquireAndBoot(pool);
        pool.release(lease, new PoolEffects());
        clock.advance(Duration.ofMinutes(5));
        PoolEffects effects = new PoolEffects();
        pool.reap(tenSeconds, effects);
        assertTrue(effects.toKill().isEmpty());
        assertEquals(1, pool.counts().ready());
    }

    @Test
    void failedBootFailsTheWaitingCallsWhenNothingElseCanServeThem() {
        FunctionPool pool = pool(1, 0, 5, 10);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> lease = pool.acquire(effects);
        PoolEffects failed = new PoolEffects();
        pool.bootFailed(effects.toBoot().get(0), "exit 1", failed);
        failed.completeCalls();
        ExecutionException e = assertThrows(ExecutionException.class, lease::get);
        assertEquals(502, ((AgentException) e.getCause()).status());
        assertEquals(0, pool.counts().total());
    }

    @Test
    void crashedInstanceIsRemovedAndTheNextCallBootsAFreshOne() throws Exception {
        FunctionPool pool = pool(1, 0, 5, 10);
        Lease lease = acquireAndBoot(pool);
        pool.remove(lease.instance(), new PoolEffects());
        pool.release(lease, new PoolEffects());
        assertEquals(0, pool.counts().total());
        PoolEffects effects = new PoolEffects();
        pool.acquire(effects);
        assertEquals(1, effects.toBoot().size());
    }

    @Test
    void abandonedCallLeavesTheQueue() {
        FunctionPool pool = pool(1, 0, 5, 10);
        CompletableFuture<Lease> lease = pool.acquire(new PoolEffects());
        assertTrue(pool.abandon(lease));
        assertEquals(0, pool.queued());
        assertFalse(pool.abandon(lease));
    }

    @Test
    void headroomBootsTheNextInstanceBeforeTheOthersAreFull() throws Exception {
        FunctionPool pool = pool(5, 0, 5, 10, 0.8);
        acquireAndBoot(pool);
        for (int call = 2; call <= 3; call++) {
            PoolEffects effects = new PoolEffects();
            pool.acquire(effects).join();
            assertTrue(effects.toBoot().isEmpty(), call + " of 5 slots busy is below the headroom");
        }
        PoolEffects fourth = new PoolEffects();
        Lease lease = pool.acquire(fourth).join();
        assertFalse(lease.cold(), "the call itself is served warm");
        assertEquals(1, fourth.toBoot().size(), "4 of 5 slots busy crosses 0.8: a spare boots now");
        PoolEffects fifth = new PoolEffects();
        pool.acquire(fifth).join();
        assertTrue(fifth.toBoot().isEmpty(), "one spare at a time");
    }

    @Test
    void headroomNeverExceedsMaxScale() throws Exception {
        FunctionPool pool = pool(1, 0, 1, 10, 0.5);
        PoolEffects effects = new PoolEffects();
        pool.acquire(effects);
        bootAll(pool, effects);
        assertEquals(1, pool.counts().total());
    }

    @Test
    void minScaleInstancesAreKeptAndReplaced() throws Exception {
        FunctionPool pool = pool(1, 2, 5, 10);
        PoolEffects effects = new PoolEffects();
        pool.maintain(effects);
        assertEquals(2, effects.toBoot().size());
        bootAll(pool, effects);
        assertEquals(2, pool.counts().ready());

        pool.remove(effects.toBoot().get(0), new PoolEffects());
        PoolEffects replace = new PoolEffects();
        pool.maintain(replace);
        assertEquals(1, replace.toBoot().size(), "a dead minScale instance is replaced");
    }

    @Test
    void preBootGivesWarmInstancesWithinMaxScale() {
        FunctionPool pool = pool(1, 0, 3, 10);
        PoolEffects effects = new PoolEffects();
        assertEquals(3, pool.ensureInstances(10, effects));
        assertEquals(3, effects.toBoot().size());
    }

    @Test
    void failingBootsBackOffInsteadOfLooping() {
        FunctionPool pool = pool(1, 1, 5, 10);
        PoolEffects first = new PoolEffects();
        pool.maintain(first);
        pool.bootFailed(first.toBoot().get(0), "exit 2", new PoolEffects());
        PoolEffects soon = new PoolEffects();
        pool.maintain(soon);
        assertTrue(soon.toBoot().isEmpty(), "no new boot right after a failure");
        clock.advance(Duration.ofSeconds(2));
        PoolEffects later = new PoolEffects();
        pool.maintain(later);
        assertEquals(1, later.toBoot().size());
    }

    @Test
    void retiredVersionLetsItsIdleInstancesGoAtOnce() throws Exception {
        FunctionPool pool = pool(1, 1, 5, 10);
        Lease lease = acquireAndBoot(pool);
        pool.release(lease, new PoolEffects());
        pool.retire();
        PoolEffects effects = new PoolEffects();
        pool.reap(tenSeconds, effects);
        assertEquals(1, effects.toKill().size(), "neither keep-alive nor minScale holds a retired version");
        PoolEffects maintain = new PoolEffects();
        pool.maintain(maintain);
        assertTrue(maintain.toBoot().isEmpty());
    }

    @Test
    void aFullNodeBootsNothingAndRefusesCallsItCannotServeWith503() {
        budget = new NodeBudget(1, 8L << 30, 64_000);
        FunctionPool other = pool(1, 0, 5, 10);
        PoolEffects first = new PoolEffects();
        CompletableFuture<Lease> otherCall = other.acquire(first);
        assertEquals(1, first.toBoot().size(), "the node's one slot is taken");

        FunctionPool pool = pool(1, 0, 5, 10);
        PoolEffects effects = new PoolEffects();
        CompletableFuture<Lease> lease = pool.acquire(effects);
        effects.completeCalls();
        assertTrue(effects.toBoot().isEmpty());
        ExecutionException e = assertThrows(ExecutionException.class, lease::get);
        assertEquals(503, ((AgentException) e.getCause()).status());

        other.abandon(otherCall);
        other.remove(first.toBoot().get(0), new PoolEffects());
        PoolEffects later = new PoolEffects();
        pool.acquire(later);
        assertEquals(1, later.toBoot().size(), "the slot came back when the instance went");
    }

    @Test
    void memoryOfTheNodeBoundsItsInstances() {
        budget = new NodeBudget(64, 256L << 20, 64_000);
        FunctionPool pool = pool(1, 0, 5, 10);
        PoolEffects effects = new PoolEffects();
        assertEquals(2, pool.ensureInstances(5, effects), "two 128 MiB instances fit in 256 MiB");
    }

    @Test
    void aVersionRolledBackToIsKeptWarmAgain() {
        FunctionPool pool = pool(1, 1, 5, 10);
        pool.retire();
        PoolEffects retired = new PoolEffects();
        pool.maintain(retired);
        assertTrue(retired.toBoot().isEmpty());
        pool.reinstate();
        PoolEffects current = new PoolEffects();
        pool.maintain(current);
        assertEquals(1, current.toBoot().size());
    }
}
