package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.InstanceDriver;
import dev.skiff.agent.driver.LaunchRequest;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.agent.driver.vm.HostUsers;
import dev.skiff.agent.driver.vm.LoopbackPorts;
import dev.skiff.agent.driver.vm.SnapshotStore;
import dev.skiff.agent.driver.vm.VmBoot;
import dev.skiff.agent.driver.vm.VmImages;
import dev.skiff.agent.driver.vm.VmLauncher;
import dev.skiff.agent.driver.vm.VmProcess;
import dev.skiff.contracts.FunctionSpec;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Runs each instance in its own QEMU {@code microvm}: the runtime's shared base image plus the
 * version's initrd, user-mode networking with a free loopback port forwarded to the guest's
 * watchdog, memory and vCPUs from the function's limits. Ready when the guest's init says so on the
 * serial console and the watchdog answers its health path through the forward.
 *
 * <p>With snapshots on, a version's first VM is saved once, just before it is reported ready, and
 * its later VMs are restored from that state instead of booting.
 *
 * <p>VMs never outlive the agent: QEMU is started by a {@link VmLauncher} (parent-death signal),
 * the pool kills VMs on shutdown, and a restarted agent kills what its previous run recorded.
 */
public final class QemuDriver implements InstanceDriver {
    /** The loopback ports forwarded to guests, for every QEMU driver of this agent. */
    private static final LoopbackPorts PORTS = new LoopbackPorts();
    private static final Logger LOG = Logger.getLogger(QemuDriver.class);
    /** The smallest shape a probe VM has. */
    private static final long PROBE_MEMORY = 128L << 20;

    private final QemuSettings settings;
    private final VmImages images;
    private final SnapshotStore snapshots;
    private final VmLauncher launcher;
    private final CompletableFuture<Accel> accel;

    public QemuDriver(AgentConfig config) {
        AgentConfig.QemuDriverConfig qemu = config.qemu();
        boolean root = HostUsers.agentIsRoot();
        this.settings = QemuSettings.of(qemu, root, HostUsers.groupExists("kvm"),
                root ? HostUsers.primaryGroup(qemu.runAs()) : Optional.empty());
        Optional<UserPrincipal> vmUser = settings.runAs().map(u -> HostUsers.principal(u, "skiff.node-agent.qemu.run-as"));
        this.launcher = new VmLauncher("QEMU", config.dataDir(), vmUser);
        this.images = new VmImages(settings.imageDir(), VmImages.BZIMAGE, vmUser, Optional.of(launcher.controlRoot().resolve("boot")));
        this.snapshots = new SnapshotStore(config.dataDir().toAbsolutePath().resolve("snapshots"), QemuSnapshots.SUFFIX);
        VmImages.BaseImage probeImage = images.base(FunctionSpec.RUNTIME_EXEC);
        LOG.infof("qemu driver: base images %s in %s, QEMU %s%s, snapshots %s", images.runtimes(), settings.imageDir(),
                settings.binary(), settings.runAs().map(u -> " as " + u).orElse(""), settings.snapshots() ? "on" : "off");
        List<String> probe = QemuCommand.argv(settings, Accel.KVM, new QemuCommand.Vm(probeImage.kernel(), probeImage.root(),
                null, QemuCommand.memoryMib(FunctionSpec.RUNTIME_EXEC, PROBE_MEMORY), 1000, PORTS.next(), VmBoot.COLD, null));
        this.accel = CompletableFuture.supplyAsync(() -> KvmProbe.choose(qemu.accel(), probe, argv -> launcher.spawn(argv, false), qemu.probeTimeout()),
                r -> VmProcess.daemon("kvm-probe", r));
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public RunningInstance start(LaunchRequest request) {
        FunctionVersion version = request.version();
        FunctionSpec spec = version.spec();
        VmImages.BaseImage base = images.base(spec.runtime());
        long memoryMib = QemuCommand.memoryMib(spec.runtime(), spec.memoryBytes());
        Path initrd = images.initrd(version, base, QemuCommand.javaHeapMib(memoryMib), request.secrets());
        Accel accel = accel();
        String key = null;
        VmBoot boot = VmBoot.COLD;
        if (settings.snapshots()) {
            QemuCommand.Vm shape = new QemuCommand.Vm(base.kernel(), initrd, base.drive(), memoryMib, spec.cpuMillis(), 0,
                    VmBoot.COLD, null);
            List<Path> files = new ArrayList<>(base.files());
            files.add(initrd);
            key = SnapshotStore.key(version.digest(), QemuCommand.qemu(settings, accel, shape), files);
            boot = snapshots.boot(key);
        }
        try {
            Path controlDir = boot == VmBoot.COLD ? null : launcher.controlDir();
            int port = PORTS.next();
            List<String> argv = QemuCommand.argv(settings, accel, new QemuCommand.Vm(base.kernel(), initrd, base.drive(),
                    memoryMib, spec.cpuMillis(), port, boot, controlDir));
            LOG.debugf("function %s instance %s: %s", version.name(), request.instanceId(), String.join(" ", argv));
            Process process = launcher.spawn(argv, false);
            return new QemuInstance(new QemuInstance.Plan(request.instanceId(), version.name(), port, boot, controlDir, key),
                    process, snapshots);
        } catch (RuntimeException e) {
            if (boot == VmBoot.COLD_AND_SAVE) {
                snapshots.release(key);
            }
            throw e;
        }
    }

    /** The accelerator, once the probe has decided. */
    Accel accel() {
        try {
            return accel.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the KVM probe", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("KVM probe failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

}
