package dev.skiff.agent.artifact;

import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Path;

/**
 * One function version ready to run on this node: its spec, the manifest digest that pins it,
 * and the local directory holding its code (read-only for instances).
 */
public record FunctionVersion(FunctionSpec spec, String digest, Path codeDir) {
    public String name() {
        return spec.name();
    }
}
