package dev.skiff.gateway.functions;

import dev.skiff.contracts.FunctionSpec;
import java.time.Instant;

/**
 * A function as deployed: its current version's spec, the manifest digest that pins the version,
 * the code artefact it was built from, and when it was deployed.
 */
public record DeployedFunction(FunctionSpec spec, String digest, String image, Instant createdAt) {
    public String name() {
        return spec.name();
    }
}
