package dev.skiff.agent.driver;

/**
 * Starts instances. Implementations: {@code process} (a child process per instance); VM drivers
 * follow the same contract. {@link #start} may block briefly (it spawns); callers run it on a worker.
 */
public interface InstanceDriver {

    /** Starts an instance; readiness is reported through {@link RunningInstance#ready()}. */
    RunningInstance start(LaunchRequest request);

    /** The driver's configuration name. */
    String name();
}
