package dev.skiff.agent.driver.firecracker;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.InstanceDriver;
import dev.skiff.agent.driver.LaunchRequest;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.agent.driver.qemu.QemuCommand;
import dev.skiff.agent.driver.vm.HostUsers;
import dev.skiff.agent.driver.vm.SnapshotStore;
import dev.skiff.agent.driver.vm.Trees;
import dev.skiff.agent.driver.vm.VmBoot;
import dev.skiff.agent.driver.vm.VmImages;
import dev.skiff.agent.driver.vm.VmLauncher;
import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs each instance in its own Firecracker microVM, configured over Firecracker's REST API on its
 * Unix socket: the runtime's shared base image (the uncompressed {@code vmlinux}) plus the same
 * per-version initrd the qemu driver boots, memory and vCPUs from the function's limits, one TAP
 * slot per VM ({@link GuestNetwork}). Ready when the guest's init says so on the serial console
 * (Firecracker's stdout) and the watchdog answers its health path at the guest's address.
 *
 * <p>With snapshots on, a version's first VM is saved once (paused, full snapshot, resumed) before
 * it is reported ready, and its later VMs are restored from it into a fresh Firecracker, moved to
 * their own TAP device and re-addressed through the serial console.
 *
 * <p>Firecracker cannot run where this repository is built and tested (no usable KVM, not
 * packaged): this driver is written to Firecracker's documented API and tested against a stand-in
 * that answers as the API definition says.
 */
public final class FirecrackerDriver implements InstanceDriver {
    private static final Logger LOG = Logger.getLogger(FirecrackerDriver.class);
    /** Saved VMs are directories holding Firecracker's two snapshot files. */
    static final String SNAPSHOT_SUFFIX = ".fc";

    private final FirecrackerSettings settings;
    private final VmImages images;
    private final SnapshotStore snapshots;
    private final VmLauncher launcher;
    private final Optional<UserPrincipal> vmUser;
    private final TapSlots taps;

    public FirecrackerDriver(AgentConfig config) {
        this(settings(config.firecracker()), config.dataDir());
    }

    FirecrackerDriver(FirecrackerSettings settings, Path dataDir) {
        this.settings = settings;
        this.vmUser = settings.runAs().map(u -> HostUsers.principal(u, "skiff.node-agent.firecracker.run-as"));
        this.launcher = new VmLauncher("Firecracker", dataDir, vmUser);
        this.images = new VmImages(settings.imageDir(), VmImages.VMLINUX, vmUser, Optional.of(launcher.controlRoot().resolve("boot")));
        this.snapshots = new SnapshotStore(dataDir.toAbsolutePath().resolve("snapshots"), SNAPSHOT_SUFFIX);
        this.taps = new TapSlots(GuestNetwork.slots(settings.subnet()));
        images.base(FunctionSpec.RUNTIME_EXEC);
        LOG.infof("firecracker driver: base images %s in %s, Firecracker %s%s, TAP devices %sN in %s, snapshots %s",
                images.runtimes(), settings.imageDir(), settings.binary(), settings.runAs().map(u -> " as " + u).orElse(""),
                settings.tapPrefix(), settings.subnet(), settings.snapshots() ? "on" : "off");
    }

    private static FirecrackerSettings settings(AgentConfig.FirecrackerDriverConfig config) {
        boolean root = HostUsers.agentIsRoot();
        return FirecrackerSettings.of(config, root, HostUsers.groupExists("kvm"),
                root ? HostUsers.primaryGroup(config.runAs()) : Optional.empty(), QemuCommand.GUEST_PORT);
    }

    @Override
    public String name() {
        return "firecracker";
    }

    @Override
    public RunningInstance start(LaunchRequest request) {
        FunctionVersion version = request.version();
        VmImages.BaseImage base = images.base(version.spec().runtime());
        long memoryMib = QemuCommand.memoryMib(version.spec().runtime(), version.spec().memoryBytes());
        Path initrd = images.initrd(version, base, QemuCommand.javaHeapMib(memoryMib), request.secrets());
        int slot = taps.acquire();
        String key = null;
        VmBoot boot = VmBoot.COLD;
        Path controlDir = null;
        try {
            FirecrackerVm vm = FirecrackerCommand.vm(settings, version.spec(), base.kernel(), initrd, base.drive(),
                    GuestNetwork.of(settings.subnet(), settings.tapPrefix(), slot));
            if (settings.snapshots()) {
                key = SnapshotStore.key(version.digest(), FirecrackerCommand.snapshotShape(settings, vm),
                        files(base, initrd));
                boot = snapshots.boot(key);
            }
            controlDir = launcher.controlDir();
            List<String> argv = FirecrackerCommand.argv(settings, controlDir.resolve(FirecrackerInstance.API_SOCKET), request.instanceId());
            LOG.debugf("function %s instance %s: %s (%s, %s)", version.name(), request.instanceId(), String.join(" ", argv),
                    boot, vm.network().tap());
            Process process = launcher.spawn(argv, true);
            return new FirecrackerInstance(new FirecrackerInstance.Plan(request.instanceId(), version.name(), vm, boot,
                    controlDir, key, settings.guestPort(), vmUser), process, snapshots, () -> taps.release(slot));
        } catch (RuntimeException e) {
            taps.release(slot);
            if (boot == VmBoot.COLD_AND_SAVE) {
                snapshots.release(key);
            }
            if (controlDir != null) {
                Trees.delete(controlDir);
            }
            throw e;
        }
    }

    private static List<Path> files(VmImages.BaseImage base, Path initrd) {
        List<Path> files = new java.util.ArrayList<>(base.files());
        files.add(initrd);
        return files;
    }
}
