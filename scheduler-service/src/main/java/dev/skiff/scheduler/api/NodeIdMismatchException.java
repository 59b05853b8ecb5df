package dev.skiff.scheduler.api;

import dev.skiff.common.ProblemException;

/** The node id in the path differs from the one in the heartbeat body. */
final class NodeIdMismatchException extends ProblemException {
    NodeIdMismatchException(String path, String body) {
        super(400, "Invalid request", "path names node '" + path + "' but the body is for '" + body + "'", "nodeId");
    }
}
