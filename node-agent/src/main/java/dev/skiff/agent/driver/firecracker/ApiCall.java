package dev.skiff.agent.driver.firecracker;

/**
 * One request of Firecracker's REST API: method, path and JSON body (null: none).
 *
 * @param method {@code PUT}, {@code PATCH} or {@code GET}
 * @param path   the resource, e.g. {@code /boot-source}
 * @param body   the JSON body exactly as sent, or null
 */
public record ApiCall(String method, String path, String body) {
    @Override
    public String toString() {
        return method + " " + path;
    }
}
