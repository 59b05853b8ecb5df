package dev.skiff.agent.driver.firecracker;

import dev.skiff.agent.driver.Endpoint;
import dev.skiff.agent.driver.vm.SnapshotStore;
import dev.skiff.agent.driver.vm.Trees;
import dev.skiff.agent.driver.vm.VmBoot;
import dev.skiff.agent.driver.vm.VmInstance;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One Firecracker microVM. Its boot chain:
 * {@code awaitApi() -> (configureAndStart() -> awaitConsole() | restore() -> readdress()) -> awaitHealthy() -> save() -> ready}.
 * A failed save costs only the snapshot; a failed restore drops the snapshot (later instances boot
 * cold).
 */
final class FirecrackerInstance extends VmInstance {
    private static final Logger LOG = Logger.getLogger(FirecrackerInstance.class);
    static final String API_SOCKET = "api.sock";
    /** Deadline of a configuration request: Firecracker answers them at once. */
    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    /** Deadline of a snapshot request: creating one writes all of the guest's memory. */
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(120);

    /** What this instance is: who, which VM, booted how, its control directory and snapshot key (or null). */
    record Plan(String id, String function, FirecrackerVm vm, VmBoot boot, Path controlDir, String snapshotKey,
            int guestPort, Optional<UserPrincipal> vmUser) {
    }

    private final Plan plan;
    private final ApiClient api;
    private final Runnable onExit;

    /** @param onExit gives the VM's TAP slot back */
    FirecrackerInstance(Plan plan, Process process, SnapshotStore snapshots, Runnable onExit) {
        super(plan.id(), plan.function(), "Firecracker", process, plan.boot(), snapshots, plan.snapshotKey());
        this.plan = plan;
        this.api = new ApiClient(plan.controlDir().resolve(API_SOCKET));
        this.onExit = onExit;
        start();
    }

    @Override
    protected Endpoint boot() throws Exception {
        awaitApi();
        if (plan.boot() == VmBoot.RESTORE) {
            restore();
            readdress();
        } else {
            configureAndStart();
            awaitConsole();
        }
        GuestNetwork network = plan.vm().network();
        awaitHealthy(network.guestIp(), plan.guestPort());
        if (plan.boot() == VmBoot.COLD_AND_SAVE) {
            save();
        }
        LOG.infof("function %s instance %s %s in %d ms (pid %d, %s, %s)", plan.function(), plan.id(),
                restored() ? "restored from snapshot" : "booted", millis(), pid(), network.tap(), network.guestIp());
        return new Endpoint(network.guestIp(), plan.guestPort());
    }

    /** Waits until Firecracker listens on its API socket. */
    private void awaitApi() throws IOException, InterruptedException {
        vm.awaitSocket(plan.controlDir().resolve(API_SOCKET)).close();
    }

    /** Machine, kernel and initrd, network interface, then InstanceStart. */
    private void configureAndStart() throws IOException {
        for (ApiCall call : FirecrackerRequests.coldBoot(plan.vm())) {
            api.send(call, API_TIMEOUT);
        }
    }

    /** Loads the version's snapshot into this fresh Firecracker; a VM that cannot take it condemns the snapshot. */
    private void restore() throws IOException {
        try {
            api.send(FirecrackerRequests.snapshotLoad(snapshots.entry(plan.snapshotKey()), plan.vm().network()), SNAPSHOT_TIMEOUT);
        } catch (IOException e) {
            snapshots.invalidate(plan.snapshotKey(), "restore failed: " + e.getMessage());
            throw e;
        }
        dropSnapshotIfItDies();
    }

    /**
     * Gives the restored guest this VM's address: the snapshot holds the address of the VM it was
     * taken from, so the agent writes {@link GuestNetwork#consoleCommand()} to the serial console
     * (Firecracker's stdin), where the guest's init listens for it.
     */
    private void readdress() throws IOException {
        OutputStream console = vm.process().getOutputStream();
        console.write((plan.vm().network().consoleCommand() + "\n").getBytes(StandardCharsets.US_ASCII));
        console.flush();
    }

    /**
     * Saves the freshly booted VM as its version's snapshot, once: paused, a full snapshot into a
     * staged directory (owned by the user Firecracker runs as, who writes it), published, resumed.
     * The VM runs on whatever happens.
     */
    private void save() {
        long begin = System.nanoTime();
        Path staged = null;
        boolean paused = false;
        try {
            staged = snapshots.stage(plan.snapshotKey());
            Files.createDirectory(staged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (plan.vmUser().isPresent()) {
                Files.setOwner(staged, plan.vmUser().get());
            }
            api.send(FirecrackerRequests.pause(), API_TIMEOUT);
            paused = true;
            api.send(FirecrackerRequests.snapshotCreate(staged), SNAPSHOT_TIMEOUT);
            long size = snapshots.publish(plan.snapshotKey(), staged);
            saved(size, begin);
        } catch (IOException | RuntimeException e) {
            saveFailed(e);
        } finally {
            if (staged != null) {
                Trees.delete(staged);
            }
            if (paused) {
                resume();
            }
            snapshots.release(plan.snapshotKey());
        }
    }

    private void resume() {
        try {
            api.send(FirecrackerRequests.resume(), API_TIMEOUT);
        } catch (IOException e) {
            LOG.warnf("function %s instance %s: cannot resume after the snapshot: %s", plan.function(), plan.id(), e.getMessage());
        }
    }

    @Override
    protected void cleanUp() {
        Trees.delete(plan.controlDir());
        onExit.run();
    }
}
