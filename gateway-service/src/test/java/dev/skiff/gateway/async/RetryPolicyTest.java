package dev.skiff.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(3));

    @Test
    void onlyRunsThatNeverReachedTheFunctionAreRetried() {
        assertTrue(RetryPolicy.retryable(503, "No instance available"));
        assertTrue(RetryPolicy.retryable(429, "Too many requests"));
        assertTrue(RetryPolicy.retryable(502, "Instance failed to start"));
        assertTrue(RetryPolicy.retryable(502, "Node unavailable"));
        assertTrue(RetryPolicy.retryable(502, "Artifact unavailable"));
        assertFalse(RetryPolicy.retryable(502, "Function failed"), "the function ran and failed: its answer is the result");
        assertFalse(RetryPolicy.retryable(502, "Instance crashed"), "the call reached the function");
        assertFalse(RetryPolicy.retryable(502, null), "a 502 the function itself sent");
        assertFalse(RetryPolicy.retryable(504, "Function timed out"));
        assertFalse(RetryPolicy.retryable(404, "Function not found"));
        assertFalse(RetryPolicy.retryable(200, null));
    }

    @Test
    void attemptsStopAtTheLimitAndDelaysDoubleUpToTheMaximum() {
        assertTrue(policy.another(3));
        assertFalse(policy.another(4));
        assertEquals(Duration.ofMillis(500), policy.backoff(1));
        assertEquals(Duration.ofMillis(1000), policy.backoff(2));
        assertEquals(Duration.ofMillis(2000), policy.backoff(3));
        assertEquals(Duration.ofSeconds(3), policy.backoff(4));
        assertEquals(Duration.ofSeconds(3), policy.backoff(60), "no overflow on a long run of failures");
    }
}
