package dev.skiff.agent;

import dev.skiff.contracts.Descriptor;
import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.contracts.Heartbeat;
import dev.skiff.contracts.ImageManifest;
import dev.skiff.contracts.NodeCapacity;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Records the agent (de)serialises with Jackson outside REST endpoints (manifests and specs from
 * the store, heartbeats to the scheduler): registered so a native executable keeps them.
 */
@RegisterForReflection(targets = {FunctionSpec.class, ImageManifest.class, Descriptor.class, Heartbeat.class,
        NodeCapacity.class, FunctionInstances.class})
final class NativeReflection {
    private NativeReflection() {
    }
}
