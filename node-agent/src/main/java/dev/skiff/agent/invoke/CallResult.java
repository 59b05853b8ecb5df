package dev.skiff.agent.invoke;

import io.vertx.mutiny.core.buffer.Buffer;

/**
 * What the instance answered. {@code functionError} is set when the function itself failed;
 * {@code durationSeconds} is the instance's own measure of the call (OpenFaaS' header), or null.
 */
public record CallResult(int status, String contentType, Buffer body, String functionError, String durationSeconds) {
}
