package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.driver.InstanceDriver;
import dev.skiff.agent.driver.LaunchRequest;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.contracts.FunctionSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
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
 * <p>VMs never outlive the agent: QEMU is started through {@code setpriv --pdeathsig KILL} from one
 * long-lived thread (the parent-death signal follows the thread that spawned the child, so that
 * thread must live as long as the agent), the pool kills VMs on shutdown, and a restarted agent
 * kills what its previous run recorded.
 */
public final class QemuDriver implements InstanceDriver {
    private static final Logger LOG = Logger.getLogger(QemuDriver.class);
    /** The smallest shape a probe VM has. */
    private static final long PROBE_MEMORY = 128L << 20;

    private final QemuSettings settings;
    private final VmImages images;
    private final SnapshotStore snapshots;
    private final Optional<UserPrincipal> vmUser;
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "qemu-spawner");
        thread.setDaemon(true);
        return thread;
    });
    private final CompletableFuture<Accel> accel;
    private final Path controlRoot;

    public QemuDriver(AgentConfig config) {
        AgentConfig.QemuDriverConfig qemu = config.qemu();
        boolean root = HostUsers.agentIsRoot();
        this.settings = QemuSettings.of(qemu, root, HostUsers.groupExists("kvm"),
                root ? HostUsers.primaryGroup(qemu.runAs()) : Optional.empty());
        this.vmUser = settings.runAs().map(HostUsers::principal);
        this.images = new VmImages(settings.imageDir(), vmUser);
        this.snapshots = new SnapshotStore(config.dataDir().toAbsolutePath().resolve("snapshots"));
        this.controlRoot = controlRoot(config.dataDir());
        VmImages.BaseImage probeImage = images.base(FunctionSpec.RUNTIME_EXEC);
        LOG.infof("qemu driver: base images %s in %s, QEMU %s%s, snapshots %s", images.runtimes(), settings.imageDir(),
                settings.binary(), settings.runAs().map(u -> " as " + u).orElse(""), settings.snapshots() ? "on" : "off");
        List<String> probe = QemuCommand.argv(settings, Accel.KVM, new QemuCommand.Vm(probeImage.kernel(), probeImage.root(),
                null, QemuCommand.memoryMib(FunctionSpec.RUNTIME_EXEC, PROBE_MEMORY), 1000, freePort(), QemuCommand.Boot.COLD, null));
        this.accel = CompletableFuture.supplyAsync(() -> KvmProbe.choose(qemu.accel(), probe, this::spawn, qemu.probeTimeout()),
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
        Path initrd = images.initrd(version, base, QemuCommand.javaHeapMib(memoryMib));
        Accel accel = accel();
        String key = null;
        QemuCommand.Boot boot = QemuCommand.Boot.COLD;
        if (settings.snapshots()) {
            QemuCommand.Vm shape = new QemuCommand.Vm(base.kernel(), initrd, base.drive(), memoryMib, spec.cpuMillis(), 0,
                    QemuCommand.Boot.COLD, null);
            List<Path> files = new ArrayList<>(base.files());
            files.add(initrd);
            key = SnapshotStore.key(version.digest(), QemuCommand.qemu(settings, accel, shape), files);
            boot = snapshots.restorable(key).isPresent() ? QemuCommand.Boot.RESTORE
                    : snapshots.claim(key) ? QemuCommand.Boot.COLD_AND_SAVE : QemuCommand.Boot.COLD;
        }
        try {
            Path controlDir = boot == QemuCommand.Boot.COLD ? null : controlDir();
            int port = freePort();
            List<String> argv = QemuCommand.argv(settings, accel, new QemuCommand.Vm(base.kernel(), initrd, base.drive(),
                    memoryMib, spec.cpuMillis(), port, boot, controlDir));
            LOG.debugf("function %s instance %s: %s", version.name(), request.instanceId(), String.join(" ", argv));
            Process process = spawn(argv);
            return new QemuInstance(new QemuInstance.Plan(request.instanceId(), version.name(), port, boot, controlDir, key),
                    process, snapshots);
        } catch (RuntimeException e) {
            if (boot == QemuCommand.Boot.COLD_AND_SAVE) {
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

    /** Starts a command from the spawner thread, in a clean environment, stdin from /dev/null. */
    private Process spawn(List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(new File("/dev/null"));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Future<Process> started = spawner.submit(builder::start);
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting QEMU", e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getCause().getMessage(),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    /**
     * The parent of this agent's VM control directories: short (Unix socket paths are limited to 107
     * bytes), so under the temporary directory, named after the data directory so that agents sharing
     * a host do not meet; emptied at start of what a killed previous run left.
     */
    private static Path controlRoot(Path dataDir) {
        String name = "skiff-vm-" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        Path root = Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
        try {
            if (Files.exists(root)) {
                try (Stream<Path> paths = Files.walk(root)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + root + ": " + e.getMessage(), e);
        }
    }

    /** A private directory for one VM's sockets, owned by the user QEMU runs as. */
    private Path controlDir() {
        try {
            Path dir = Files.createTempDirectory(controlRoot, "");
            if (vmUser.isPresent()) {
                Files.setOwner(dir, vmUser.get());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a control directory for a VM: " + e.getMessage(), e);
        }
    }

    /** A loopback port free now; QEMU binds it a moment later (a lost race fails that one boot). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
