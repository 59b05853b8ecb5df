package dev.skiff.gateway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReconcileQueueTest {
    @Test
    void aKeyWaitsOnceHoweverManyEventsNameIt() throws InterruptedException {
        try (ReconcileQueue queue = new ReconcileQueue(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
            queue.add("apps/a");
            queue.add("apps/b");
            queue.add("apps/a");
            assertEquals(2, queue.size());
            assertEquals("apps/a", queue.take());
            assertEquals("apps/b", queue.take());
            assertEquals(0, queue.size());
        }
    }

    @Test
    void aKeyTakenForWorkCanBeQueuedAgain() throws InterruptedException {
        try (ReconcileQueue queue = new ReconcileQueue(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
            queue.add("apps/a");
            assertEquals("apps/a", queue.take());
            queue.add("apps/a");
            assertEquals(1, queue.size(), "an event during the reconcile is not lost");
        }
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Duration initial = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(5);
        assertEquals(Duration.ofMillis(500), ReconcileQueue.backoff(initial, max, 1));
        assertEquals(Duration.ofSeconds(1), ReconcileQueue.backoff(initial, max, 2));
        assertEquals(Duration.ofSeconds(2), ReconcileQueue.backoff(initial, max, 3));
        assertEquals(Duration.ofSeconds(4), ReconcileQueue.backoff(initial, max, 4));
        assertEquals(max, ReconcileQueue.backoff(initial, max, 5));
        assertEquals(max, ReconcileQueue.backoff(initial, max, 1000));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void failedKeyComesBackAfterItsDelayAndSuccessResetsTheBackoff() throws InterruptedException {
        try (ReconcileQueue queue = new ReconcileQueue(Duration.ofMillis(50), Duration.ofSeconds(10))) {
            assertEquals(Duration.ofMillis(50), queue.retryLater("apps/a"));
            assertEquals("apps/a", queue.take());
            assertEquals(Duration.ofMillis(100), queue.retryLater("apps/a"));
            assertEquals("apps/a", queue.take());
            queue.forget("apps/a");
            assertEquals(Duration.ofMillis(50), queue.retryLater("apps/a"));
            assertEquals("apps/a", queue.take());
        }
    }
}
