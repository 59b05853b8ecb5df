package dev.skiff.agent.driver;

import dev.skiff.agent.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Chooses the instance driver named by {@code skiff.node-agent.driver}. */
public class DriverProducer {
    @Produces
    @ApplicationScoped
    InstanceDriver driver(AgentConfig config) {
        return switch (config.driver()) {
            case "process" -> new ProcessDriver(config);
            default -> throw new IllegalArgumentException("unknown driver '" + config.driver() + "' (process)");
        };
    }
}
