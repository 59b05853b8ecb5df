package dev.skiff.contracts;

/** HTTP headers Skiff services exchange on the invocation path. */
public final class Headers {
    /** Gateway -> agent: the function version (manifest digest) to run. */
    public static final String FUNCTION_DIGEST = "X-Skiff-Function-Digest";
    /** Gateway -> agent: the caller's HTTP method (the agent's invoke endpoint itself is POST only). */
    public static final String CALL_METHOD = "X-Skiff-Call-Method";
    /** Gateway -> agent: the caller's path below {@code /function/<name>}. */
    public static final String CALL_PATH = "X-Skiff-Call-Path";
    /** Gateway -> agent: the caller's query string. */
    public static final String CALL_QUERY = "X-Skiff-Call-Query";
    /**
     * Gateway -> agent: the id of an async call. A node runs a call with an id once: a request
     * repeating an id it has seen waits for, or is given again, the first run's answer.
     */
    public static final String CALL_ID = "X-Skiff-Call-Id";
    /**
     * Agent -> gateway: set when the answer comes from an earlier run of the same call id rather
     * than from a run for this request: {@code joined} (it waited for the run in flight),
     * {@code replayed} (the answer kept from a finished run) or {@link #REPLAY_STATUS_ONLY}.
     */
    public static final String CALL_REPLAY = "X-Skiff-Call-Replay";
    /** {@link #CALL_REPLAY}: the kept answer's status and headers only; its body was too large to keep. */
    public static final String REPLAY_STATUS_ONLY = "status-only";
    /** Agent -> gateway: the instance that served the call. */
    public static final String INSTANCE = "X-Skiff-Instance";
    /** Gateway -> caller: the node that served the call. */
    public static final String NODE = "X-Skiff-Node";
    /** Agent -> gateway -> caller: {@code cold} when the call waited for a new instance, else {@code warm}. */
    public static final String START = "X-Skiff-Start";
    /** Instance -> agent: set on a response when the function itself failed. */
    public static final String FUNCTION_ERROR = "X-Skiff-Function-Error";
    /** OpenFaaS' header for the time the function took. */
    public static final String DURATION_SECONDS = "X-Duration-Seconds";

    private Headers() {
    }
}
