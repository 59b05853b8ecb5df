package dev.skiff.agent.driver.vm;

import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.RunningInstance;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * One microVM instance of a VM driver: a VMM process, a boot chain run on its own thread that ends
 * in {@link #ready()}, and clean-up once the VMM has exited. {@link #kill()} sends SIGKILL to the
 * VMM: nothing in the VM needs flushing, the base image is never written.
 */
public abstract class VmInstance implements RunningInstance {
    private static final Logger LOG = Logger.getLogger(VmInstance.class);
    private static final long PROBE_INTERVAL_MILLIS = 20;

    protected final String id;
    protected final String function;
    protected final VmProcess vm;
    protected final VmBoot boot;
    protected final SnapshotStore snapshots;
    /** The version's snapshot key; null when snapshots are off. */
    protected final String snapshotKey;
    private final CompletableFuture<Endpoint> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();

    /**
     * @param vmm         the VMM's name in messages
     * @param boot        how the VM starts; a COLD_AND_SAVE instance holds its key's claim until it exits
     * @param snapshotKey the version's snapshot key, or null when snapshots are off
     */
    protected VmInstance(String id, String function, String vmm, Process process, VmBoot boot, SnapshotStore snapshots,
            String snapshotKey) {
        this.id = id;
        this.function = function;
        this.vm = new VmProcess(id, vmm, process);
        this.boot = boot;
        this.snapshots = snapshots;
        this.snapshotKey = snapshotKey;
    }

    /** Runs the boot chain on its own thread and watches for the VMM's exit; subclasses call this last in their constructor. */
    protected final void start() {
        vm.process().onExit().thenRun(() -> {
            try {
                if (snapshotKey != null && boot == VmBoot.COLD_AND_SAVE) {
                    snapshots.release(snapshotKey);
                }
                cleanUp();
            } finally {
                exited.complete(null);
            }
        });
        VmProcess.daemon("vm-boot-" + id, () -> {
            try {
                ready.complete(boot());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ready.completeExceptionally(e);
            } catch (Exception e) {
                ready.completeExceptionally(vm.process().isAlive() ? e
                        : new IllegalStateException(vm.exitMessage() + " (" + e.getMessage() + ")", e));
            }
        });
    }

    /** The boot chain: returns where the ready guest serves calls, or throws why it will not. */
    protected abstract Endpoint boot() throws Exception;

    /** Frees what the VM held (control directory, network), once the VMM has exited. */
    protected abstract void cleanUp();

    /** Waits for the guest's init to say on the serial console that its watchdog listens. */
    protected final void awaitConsole() throws InterruptedException, IOException {
        try {
            vm.consoleReady().get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
        LOG.debugf("function %s instance %s: guest ready on its console after %d ms", function, id, millis());
    }

    /** Probes the watchdog at {@code host:port} until it answers; the pool's boot timeout bounds this. */
    protected final void awaitHealthy(String host, int port) throws InterruptedException, IOException {
        while (!VmProcess.healthy(host, port)) {
            if (!vm.process().isAlive()) {
                throw new IOException(vm.exitMessage());
            }
            Thread.sleep(PROBE_INTERVAL_MILLIS);
        }
    }

    /** A restored VM that dies before it is ready condemns the snapshot it was restored from. */
    protected final void dropSnapshotIfItDies() {
        vm.process().onExit().thenRun(() -> {
            if (!ready.isDone()) {
                snapshots.invalidate(snapshotKey, "restored VM exited: " + vm.exitMessage());
            }
        });
    }

    /** Logs a save that succeeded: its size and how long it took since {@code beginNanos}. */
    protected final void saved(long size, long beginNanos) {
        LOG.infof("function %s instance %s saved as snapshot %s (%d MiB) in %d ms", function, id, snapshotKey, size >> 20,
                (System.nanoTime() - beginNanos) / 1_000_000);
    }

    /** A save that failed costs the snapshot (unless the VM died: then nothing was wrong with the snapshot). */
    protected final void saveFailed(Exception e) {
        if (vm.process().isAlive()) {
            snapshots.invalidate(snapshotKey, "save failed: " + e.getMessage());
        }
    }

    /** Whether this instance was restored from a snapshot rather than booted. */
    public final boolean restored() {
        return boot == VmBoot.RESTORE;
    }

    /** Milliseconds since the VMM was started. */
    protected final long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public final CompletableFuture<Endpoint> ready() {
        return ready;
    }

    @Override
    public final CompletableFuture<Void> exited() {
        return exited;
    }

    @Override
    public final void kill() {
        vm.process().destroyForcibly();
    }

    @Override
    public final long pid() {
        return vm.process().pid();
    }
}
