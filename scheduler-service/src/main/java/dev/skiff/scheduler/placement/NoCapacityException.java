package dev.skiff.scheduler.placement;

import dev.skiff.common.ProblemException;

/** No node that is up has room for another instance. */
public final class NoCapacityException extends ProblemException {
    public NoCapacityException(String function, int nodesUp, String why) {
        super(503, "No capacity", "no instance of " + function + " can be placed: " + why + " (" + nodesUp + " nodes up)", null);
    }

    @Override
    public java.util.Map<String, String> headers() {
        return java.util.Map.of("Retry-After", "1");
    }
}
