package dev.skiff.gateway.async;

import java.time.Duration;

/**
 * Which failed runs of an async call are worth another: those that never reached the function
 * (no instance could start, no node had room or answered, too many calls waiting). A call the
 * function answered, failed, crashed on or timed out in is done: running it again could repeat its
 * effects. Delays double from the initial backoff up to the maximum.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Whether a run answered with this status and problem title may be tried again. */
    public static boolean retryable(int status, String problemTitle) {
        if (status == 429 || status == 503) {
            return true;
        }
        if (status != 502 || problemTitle == null) {
            return false;
        }
        return switch (problemTitle) {
            case "Instance failed to start", "Artifact unavailable", "Node unavailable" -> true;
            default -> false; // "Function failed", "Instance crashed": the function ran
        };
    }

    /** Whether a run that was attempt number {@code attempt} (1-based) may be followed by another. */
    public boolean another(int attempt) {
        return attempt < maxAttempts;
    }

    /** The delay before the run after attempt number {@code attempt}. */
    public Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
