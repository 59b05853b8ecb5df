package dev.skiff.agent.invoke;

import io.vertx.mutiny.core.buffer.Buffer;

/**
 * One function call as the gateway passed it on.
 *
 * @param method      the caller's HTTP method
 * @param path        the caller's path below {@code /function/<name>} (starts with /)
 * @param query       the caller's query string, or null
 * @param contentType the caller's Content-Type, or null
 * @param body        the request body
 */
public record Call(String method, String path, String query, String contentType, Buffer body) {
}
