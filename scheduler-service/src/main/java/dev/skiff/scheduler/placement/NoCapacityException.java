package dev.skiff.scheduler.placement;

import dev.skiff.common.ProblemException;

/** No node that is up has room for another instance. */
public final class NoCapacityException extends ProblemException {
    public NoCapacityException(String function, int nodesUp) {
        super(503, "No capacity", "no node can take an instance of " + function + " (" + nodesUp + " nodes up)", null);
    }

    @Override
    public java.util.Map<String, String> headers() {
        return java.util.Map.of("Retry-After", "1");
    }
}
