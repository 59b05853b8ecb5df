package dev.skiff.agent.driver;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.secrets.FunctionSecrets;
import java.nio.file.Path;

/**
 * Everything a driver needs to start one instance.
 *
 * @param instanceId  id of the new instance
 * @param version     the function version it runs (and only that one)
 * @param scratchDir  a private, writable directory for the instance, deleted when it stops
 * @param secrets     the secret files and variables the instance gets, read from the store for it
 */
public record LaunchRequest(String instanceId, FunctionVersion version, Path scratchDir, FunctionSecrets secrets) {

    /** A launch without secrets. */
    public LaunchRequest(String instanceId, FunctionVersion version, Path scratchDir) {
        this(instanceId, version, scratchDir, FunctionSecrets.NONE);
    }
}
