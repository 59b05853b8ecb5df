package dev.skiff.agent;

import dev.skiff.common.ProblemException;
import dev.skiff.contracts.Headers;
import java.util.Map;

/** Failures of the node agent, each with its HTTP status: the agent's failure -> status table. */
public class AgentException extends ProblemException {
    private final Map<String, String> headers;

    private AgentException(int status, String title, String detail, String field, Map<String, String> headers) {
        super(status, title, detail, field);
        this.headers = headers;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * A failure answered again to a repeat of its call id: the same problem, with a header saying
     * how it was given again ({@code X-Skiff-Call-Replay}).
     */
    public static AgentException repeated(ProblemException failure, String replay) {
        Map<String, String> headers = new java.util.HashMap<>(failure.headers());
        headers.put(Headers.CALL_REPLAY, replay);
        return new AgentException(failure.status(), failure.title(), failure.getMessage(), failure.field(), Map.copyOf(headers));
    }

    /** The function version is not in the store. */
    public static AgentException unknownVersion(String function, String digest) {
        return new AgentException(404, "Function not found", "function " + function + " has no version " + digest, null, Map.of());
    }

    /** The request does not say which version to run, or names it wrongly. */
    public static AgentException badRequest(String detail, String field) {
        return new AgentException(400, "Invalid request", detail, field, Map.of());
    }

    /** The artefact could not be pulled from the store. */
    public static AgentException artifactUnavailable(String function, String detail) {
        return new AgentException(502, "Artifact unavailable", "cannot pull " + function + ": " + detail, null, Map.of());
    }

    /** Too many calls wait already. */
    public static AgentException queueFull(String function, int queued) {
        return new AgentException(429, "Too many requests", function + " has " + queued + " calls waiting already",
                null, Map.of("Retry-After", "1"));
    }

    /** The instance could not be started. */
    public static AgentException bootFailed(String function, String detail) {
        return new AgentException(502, "Instance failed to start", function + ": " + detail, null, Map.of());
    }

    /** The function itself failed (exception, non-zero exit). */
    public static AgentException functionFailed(String function, String detail) {
        return new AgentException(502, "Function failed", function + ": " + detail, null, Map.of());
    }

    /** The instance died or closed the connection while serving the call. */
    public static AgentException instanceCrashed(String function, String detail) {
        return new AgentException(502, "Instance crashed", function + ": " + detail, null, Map.of());
    }

    /** The call ran past the function's timeout, or waited that long for an instance. */
    public static AgentException timedOut(String function, String detail) {
        return new AgentException(504, "Function timed out", function + ": " + detail, null, Map.of());
    }

    /** This node has no room for another instance of the function: the caller should try another node. */
    public static AgentException nodeFull(String function) {
        return new AgentException(503, "Node full", "this node has no room for an instance of " + function,
                null, Map.of("Retry-After", "1", "X-Skiff-Node-Full", "true"));
    }

    /** No instance can be started now: maxScale reached and the queue wait ran out. */
    public static AgentException noInstance(String function, String detail) {
        return new AgentException(503, "No instance available", function + ": " + detail, null, Map.of("Retry-After", "1"));
    }
}
