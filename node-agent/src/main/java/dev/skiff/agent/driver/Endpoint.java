package dev.skiff.agent.driver;

/** Where a ready instance serves calls. */
public record Endpoint(String host, int port) {
}
