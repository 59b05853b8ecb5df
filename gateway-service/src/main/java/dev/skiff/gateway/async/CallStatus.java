package dev.skiff.gateway.async;

/**
 * What became of an accepted asynchronous call, readable at {@code GET /system/async-calls/{id}}.
 *
 * @param callId          the id answered with 202 ({@code X-Call-Id})
 * @param function        the function called
 * @param state           {@code queued}, {@code running}, {@code retrying}, {@code completed} (the function answered,
 *                        whatever its status) or {@code failed} (no run could reach the function, after every attempt)
 * @param attempts        runs so far
 * @param status          the HTTP status of the last run's answer (0 before the first)
 * @param error           why the last run failed, when it did
 * @param callbackStatus  the status the callback URL answered (0: none given, or not reached; see error)
 * @param acceptedAt      when the call was accepted (epoch milliseconds)
 * @param updatedAt       when this status was written (epoch milliseconds)
 * @param node            the node the call was last sent to (written before it is sent), or null: a run
 *                        delivered again goes there first with the same call id, so that the node,
 *                        which runs a call id once, answers it from the run it has instead of running it again
 */
public record CallStatus(String callId, String function, String state, int attempts, int status, String error,
        int callbackStatus, long acceptedAt, long updatedAt, String node) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String RETRYING = "retrying";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** Whether the call is done: a redelivery of it must not run it again. */
    public boolean finished() {
        return COMPLETED.equals(state) || FAILED.equals(state);
    }
}
