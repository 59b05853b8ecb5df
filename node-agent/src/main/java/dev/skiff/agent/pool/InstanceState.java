package dev.skiff.agent.pool;

/** Life of an instance: BOOTING -> READY (warm) -> BUSY (hot) -> READY ... -> STOPPED. */
public enum InstanceState {
    /** Started, not yet ready: never given a call. */
    BOOTING,
    /** Ready and idle: a warm instance. */
    READY,
    /** Serving between 1 and {@code concurrency} calls. */
    BUSY,
    /** Gone: killed, crashed or failed to boot. */
    STOPPED
}
