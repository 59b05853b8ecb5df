package dev.skiff.agent.driver;

import java.util.concurrent.CompletableFuture;

/** Handle on an instance a driver started. */
public interface RunningInstance {

    /** Completes with the endpoint when the instance reports ready; fails if it dies first. */
    CompletableFuture<Endpoint> ready();

    /** Completes when the instance has stopped, for whatever reason. */
    CompletableFuture<Void> exited();

    /** Kills the instance at once: no clean shutdown, nothing to flush. Idempotent. */
    void kill();

    /** OS process id of the instance (the VMM for VM drivers), or -1. */
    long pid();
}
