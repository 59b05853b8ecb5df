package dev.skiff.agent.driver;

import dev.skiff.agent.artifact.FunctionVersion;
import java.nio.file.Path;

/**
 * Everything a driver needs to start one instance.
 *
 * @param instanceId  id of the new instance
 * @param version     the function version it runs (and only that one)
 * @param scratchDir  a private, writable directory for the instance, deleted when it stops
 */
public record LaunchRequest(String instanceId, FunctionVersion version, Path scratchDir) {
}
