package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.RunningInstance;
import dev.skiff.agent.driver.vm.SnapshotStore;
import dev.skiff.agent.driver.vm.Trees;
import dev.skiff.agent.driver.vm.VmProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * One microVM instance. Its boot chain runs on its own thread:
 * {@code restore() | awaitConsole() -> save() -> awaitHealthy() -> ready}. A failed save costs only
 * the snapshot; a failed restore drops the snapshot (later instances boot cold). {@link #kill()}
 * sends SIGKILL to QEMU: nothing in the VM needs flushing, the base image is never written.
 */
final class QemuInstance implements RunningInstance {
    private static final Logger LOG = Logger.getLogger(QemuInstance.class);
    private static final long PROBE_INTERVAL_MILLIS = 20;

    /** What this instance is: who, on which port, booted how, with which snapshot key (or null). */
    record Plan(String id, String function, int port, QemuCommand.Boot boot, Path controlDir, String snapshotKey) {
    }

    private final Plan plan;
    private final VmProcess vm;
    private final SnapshotStore snapshots;
    private final CompletableFuture<Endpoint> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> exited;
    private final long startNanos = System.nanoTime();

    QemuInstance(Plan plan, Process process, SnapshotStore snapshots) {
        this.plan = plan;
        this.vm = new VmProcess(plan.id(), "QEMU", process);
        this.snapshots = snapshots;
        this.exited = process.onExit().thenRun(this::cleanUp);
        VmProcess.daemon("vm-boot-" + plan.id(), this::bootChain);
    }

    private void bootChain() {
        try {
            if (plan.boot() == QemuCommand.Boot.RESTORE) {
                restore();
            } else {
                awaitConsole();
                if (plan.boot() == QemuCommand.Boot.COLD_AND_SAVE) {
                    save();
                }
            }
            awaitHealthy();
            LOG.infof("function %s instance %s %s in %d ms (pid %d, port %d)", plan.function(), plan.id(),
                    plan.boot() == QemuCommand.Boot.RESTORE ? "restored from snapshot" : "booted", millis(), pid(), plan.port());
            ready.complete(new Endpoint("127.0.0.1", plan.port()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready.completeExceptionally(e);
        } catch (Exception e) {
            ready.completeExceptionally(vm.process().isAlive() ? e : new IllegalStateException(vm.exitMessage(), e));
        }
    }

    /** Streams the version's saved VM into QEMU; a VM that cannot take it condemns the snapshot. */
    private void restore() throws IOException, InterruptedException {
        try {
            QemuSnapshots.restore(snapshots.entry(plan.snapshotKey()), vm.awaitSocket(plan.controlDir().resolve("in.sock")));
        } catch (IOException e) {
            snapshots.invalidate(plan.snapshotKey(), "restore failed: " + e.getMessage());
            throw e;
        }
        vm.process().onExit().thenRun(() -> {
            if (!ready.isDone()) {
                snapshots.invalidate(plan.snapshotKey(), "restored VM exited: " + vm.exitMessage());
            }
        });
    }

    /** Waits for the guest's init to say its watchdog listens. */
    private void awaitConsole() throws InterruptedException, IOException {
        try {
            vm.consoleReady().get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
        LOG.debugf("function %s instance %s: guest ready on its console after %d ms", plan.function(), plan.id(), millis());
    }

    /** Saves the freshly booted VM as its version's snapshot, once; the VM runs on either way. */
    private void save() {
        long begin = System.nanoTime();
        try (Qmp qmp = Qmp.connect(plan.controlDir().resolve("qmp.sock"))) {
            long size = QemuSnapshots.save(snapshots, plan.snapshotKey(), qmp, plan.controlDir());
            LOG.infof("function %s instance %s saved as snapshot %s (%d MiB) in %d ms", plan.function(), plan.id(),
                    plan.snapshotKey(), size >> 20, (System.nanoTime() - begin) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            if (vm.process().isAlive()) {
                snapshots.invalidate(plan.snapshotKey(), "save failed: " + e.getMessage());
            }
        } finally {
            snapshots.release(plan.snapshotKey());
        }
    }

    /** Probes the watchdog through the host forward until it answers; the pool's boot timeout bounds this. */
    private void awaitHealthy() throws InterruptedException, IOException {
        while (!VmProcess.healthy("127.0.0.1", plan.port())) {
            if (!vm.process().isAlive()) {
                throw new IOException(vm.exitMessage());
            }
            Thread.sleep(PROBE_INTERVAL_MILLIS);
        }
    }

    private long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Whether this instance was restored from a snapshot rather than booted. */
    boolean restored() {
        return plan.boot() == QemuCommand.Boot.RESTORE;
    }

    @Override
    public CompletableFuture<Endpoint> ready() {
        return ready;
    }

    @Override
    public CompletableFuture<Void> exited() {
        return exited;
    }

    @Override
    public void kill() {
        vm.process().destroyForcibly();
    }

    @Override
    public long pid() {
        return vm.process().pid();
    }

    private void cleanUp() {
        if (plan.snapshotKey() != null && plan.boot() == QemuCommand.Boot.COLD_AND_SAVE) {
            snapshots.release(plan.snapshotKey());
        }
        if (plan.controlDir() != null) {
            Trees.delete(plan.controlDir());
        }
    }
}
