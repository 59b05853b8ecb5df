package dev.skiff.agent.pool;

/**
 * One call's hold on one slot of an instance, from acquisition until the call ends.
 *
 * @param instance the instance serving the call
 * @param cold     true when the call waited for the instance to boot (a cold start)
 */
public record Lease(Instance instance, boolean cold) {
}
