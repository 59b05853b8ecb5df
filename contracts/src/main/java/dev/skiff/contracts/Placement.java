package dev.skiff.contracts;

/** The node chosen for a new instance. */
public record Placement(String nodeId, String url) {
}
