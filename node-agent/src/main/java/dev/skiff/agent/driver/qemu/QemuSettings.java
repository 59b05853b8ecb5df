package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.AgentConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The qemu driver's settings, resolved once from the agent's configuration and the host.
 *
 * @param binary          the QEMU system emulator
 * @param imageDir        base images, one directory per runtime
 * @param tbSizeMb        TCG translation cache per VM, in MiB
 * @param snapshots       whether cold starts restore a saved VM
 * @param runAs           the user QEMU is dropped to (empty: stay the agent's user)
 * @param runAsGroup      that user's primary group (a name or a numeric id)
 * @param kvmGroup        a supplementary group for /dev/kvm when QEMU is dropped to {@code runAs}
 * @param egress          whether guests may open outbound connections
 * @param hostProcessors  processors of the host, the most vCPUs a VM gets
 * @param tscKhz          the host's TSC frequency given to TCG guests (0: unknown, the guest calibrates)
 */
public record QemuSettings(String binary, Path imageDir, int tbSizeMb, boolean snapshots, Optional<String> runAs,
        Optional<String> runAsGroup, Optional<String> kvmGroup, boolean egress, int hostProcessors, long tscKhz) {

    /** The settings of this agent: QEMU is dropped to {@code run-as} only when the agent runs as root. */
    public static QemuSettings of(AgentConfig.QemuDriverConfig config, boolean agentIsRoot, boolean kvmGroupExists,
            Optional<String> runAsGroup) {
        Optional<String> runAs = agentIsRoot && !"root".equals(config.runAs()) ? Optional.of(config.runAs()) : Optional.empty();
        return new QemuSettings(config.binary(), config.imageDir().toAbsolutePath().normalize(), Math.max(1, config.tbSizeMb()),
                config.snapshots(), runAs, runAs.isPresent() ? runAsGroup.or(() -> runAs) : Optional.empty(),
                runAs.isPresent() && kvmGroupExists ? Optional.of("kvm") : Optional.empty(),
                config.egress(), Runtime.getRuntime().availableProcessors(),
                HostClock.tscKhz(Path.of("/proc/cpuinfo")).orElse(0));
    }
}
