package dev.skiff.agent.driver.firecracker;

import dev.skiff.agent.AgentConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The firecracker driver's settings, resolved once from the agent's configuration and the host.
 *
 * @param binary          the Firecracker binary
 * @param imageDir        base images, one directory per runtime
 * @param tapPrefix       TAP devices are {@code <tapPrefix><slot>}
 * @param subnet          the subnet the slots' /30s are cut from
 * @param snapshots       whether cold starts restore a saved VM
 * @param runAs           the user Firecracker is dropped to (empty: stay the agent's user)
 * @param runAsGroup      that user's primary group (a name or a numeric id)
 * @param kvmGroup        a supplementary group for /dev/kvm when Firecracker is dropped to {@code runAs}
 * @param hostProcessors  processors of the host, the most vCPUs a VM gets
 * @param guestPort       the port of the guest's watchdog ({@link dev.skiff.agent.driver.qemu.QemuCommand#GUEST_PORT})
 */
public record FirecrackerSettings(String binary, Path imageDir, String tapPrefix, String subnet, boolean snapshots,
        Optional<String> runAs, Optional<String> runAsGroup, Optional<String> kvmGroup, int hostProcessors, int guestPort) {

    /** The settings of this agent: Firecracker is dropped to {@code run-as} only when the agent runs as root. */
    public static FirecrackerSettings of(AgentConfig.FirecrackerDriverConfig config, boolean agentIsRoot, boolean kvmGroupExists,
            Optional<String> runAsGroup, int guestPort) {
        Optional<String> runAs = agentIsRoot && !"root".equals(config.runAs()) ? Optional.of(config.runAs()) : Optional.empty();
        try {
            if (GuestNetwork.slots(config.subnet()) == 0) {
                throw new IllegalArgumentException("'" + config.subnet() + "' is smaller than one /30");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("skiff.node-agent.firecracker.subnet: " + e.getMessage(), e);
        }
        return new FirecrackerSettings(config.binary(), config.imageDir().toAbsolutePath().normalize(), config.tapPrefix(),
                config.subnet(), config.snapshots(), runAs, runAs.isPresent() ? runAsGroup.or(() -> runAs) : Optional.empty(),
                runAs.isPresent() && kvmGroupExists ? Optional.of("kvm") : Optional.empty(),
                Runtime.getRuntime().availableProcessors(), guestPort);
    }
}
