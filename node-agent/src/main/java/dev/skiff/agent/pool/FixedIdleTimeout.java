package dev.skiff.agent.pool;

import dev.skiff.contracts.FunctionSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Keeps an idle instance for exactly the function's {@code idleTimeoutSeconds}. */
@ApplicationScoped
public class FixedIdleTimeout implements KeepAlivePolicy {
    @Override
    public Duration keepAlive(FunctionSpec spec) {
        return Duration.ofSeconds(spec.idleTimeoutSeconds());
    }
}
