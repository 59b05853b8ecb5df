package dev.skiff.agent.driver.qemu;

import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.vm.SnapshotStore;
import dev.skiff.agent.driver.vm.Trees;
import dev.skiff.agent.driver.vm.VmBoot;
import dev.skiff.agent.driver.vm.VmInstance;
import java.io.IOException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * One QEMU microVM instance. Its boot chain:
 * {@code restore() | awaitConsole() -> save() -> awaitHealthy() -> ready}. A failed save costs only
 * the snapshot; a failed restore drops the snapshot (later instances boot cold).
 */
final class QemuInstance extends VmInstance {
    private static final Logger LOG = Logger.getLogger(QemuInstance.class);

    /** What this instance is: who, on which port, booted how, with which snapshot key (or null). */
    record Plan(String id, String function, int port, VmBoot boot, Path controlDir, String snapshotKey) {
    }

    private final Plan plan;

    QemuInstance(Plan plan, Process process, SnapshotStore snapshots) {
        super(plan.id(), plan.function(), "QEMU", process, plan.boot(), snapshots, plan.snapshotKey());
        this.plan = plan;
        start();
    }

    @Override
    protected Endpoint boot() throws Exception {
        if (plan.boot() == VmBoot.RESTORE) {
            restore();
        } else {
            awaitConsole();
            if (plan.boot() == VmBoot.COLD_AND_SAVE) {
                save();
            }
        }
        awaitHealthy("127.0.0.1", plan.port());
        LOG.infof("function %s instance %s %s in %d ms (pid %d, port %d)", plan.function(), plan.id(),
                plan.boot() == VmBoot.RESTORE ? "restored from snapshot" : "booted", millis(), pid(), plan.port());
        return new Endpoint("127.0.0.1", plan.port());
    }

    /** Streams the version's saved VM into QEMU; a VM that cannot take it condemns the snapshot. */
    private void restore() throws IOException, InterruptedException {
        try {
            QemuSnapshots.restore(snapshots.entry(plan.snapshotKey()), vm.awaitSocket(plan.controlDir().resolve("in.sock")));
        } catch (IOException e) {
            snapshots.invalidate(plan.snapshotKey(), "restore failed: " + e.getMessage());
            throw e;
        }
        dropSnapshotIfItDies();
    }

    /** Saves the freshly booted VM as its version's snapshot, once; the VM runs on either way. */
    private void save() {
        long begin = System.nanoTime();
        try (Qmp qmp = Qmp.connect(plan.controlDir().resolve("qmp.sock"))) {
            long size = QemuSnapshots.save(snapshots, plan.snapshotKey(), qmp, plan.controlDir());
            saved(size, begin);
        } catch (IOException | RuntimeException e) {
            saveFailed(e);
        } finally {
            snapshots.release(plan.snapshotKey());
        }
    }

    @Override
    protected void cleanUp() {
        if (plan.controlDir() != null) {
            Trees.delete(plan.controlDir());
        }
    }
}
