package dev.skiff.gateway.kubernetes;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The controller's work queue, keyed by {@code namespace/name}. A key waits in the queue at most
 * once however many events name it (the reconcile reads the latest state anyway), and a key taken
 * for work can be added again at once, so an event that comes during a reconcile is not lost.
 * Failed keys come back after a delay that doubles with each failure in a row, up to a cap.
 */
final class ReconcileQueue implements AutoCloseable {
    private final BlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skiff-controller-retry");
        t.setDaemon(true);
        return t;
    });
    private final Duration initialDelay;
    private final Duration maxDelay;

    ReconcileQueue(Duration initialDelay, Duration maxDelay) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Queues a key for work now, unless it already waits. */
    void add(String key) {
        if (queued.add(key)) {
            ready.add(key);
        }
    }

    /**
     * The next key to work on; blocks until there is one. The key no longer counts as queued, so
     * events from now on queue it again: they are not covered by the state the reconcile will read.
     */
    String take() throws InterruptedException {
        String key = ready.take();
        queued.remove(key);
        return key;
    }

    /** The key's reconcile failed: it comes back after its backoff delay. Returns that delay. */
    Duration retryLater(String key) {
        int attempt = failures.merge(key, 1, Integer::sum);
        Duration delay = backoff(initialDelay, maxDelay, attempt);
        timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        return delay;
    }

    /** The key's reconcile succeeded: its next failure starts the backoff anew. */
    void forget(String key) {
        failures.remove(key);
    }

    /** Keys waiting now (not those waiting out a backoff delay). */
    int size() {
        return ready.size();
    }

    /** Delay before try {@code attempt + 1} after {@code attempt} failures in a row: initial, doubled each time, capped. */
    static Duration backoff(Duration initial, Duration max, int attempt) {
        if (attempt <= 1) {
            return initial.compareTo(max) < 0 ? initial : max;
        }
        int doublings = Math.min(attempt - 1, 30);
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) < 0 ? delay : max;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
