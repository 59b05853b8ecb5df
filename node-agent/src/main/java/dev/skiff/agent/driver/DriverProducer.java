package dev.skiff.agent.driver;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.driver.firecracker.FirecrackerDriver;
import dev.skiff.agent.driver.qemu.QemuDriver;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/** Chooses the instance driver named by {@code skiff.node-agent.driver}. */
public class DriverProducer {
    @Produces
    @ApplicationScoped
    InstanceDriver driver(AgentConfig config) {
        return switch (config.driver()) {
            case "process" -> new ProcessDriver(config);
            case "qemu" -> new QemuDriver(config);
            case "firecracker" -> new FirecrackerDriver(config);
            default -> throw new IllegalArgumentException("unknown driver '" + config.driver() + "' (process, qemu, firecracker)");
        };
    }

    /** VM drivers start at agent start-up: a missing base image or kernel fails the start, and the KVM probe runs at once. */
    void startVmDriver(@Observes StartupEvent event, AgentConfig config, InstanceDriver driver) {
        if (!config.driver().equals("process")) {
            driver.name();
        }
    }
}
