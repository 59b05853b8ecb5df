package dev.skiff.agent.driver.vm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts a VM driver's VMM processes so that they never outlive the agent, and gives each VM a
 * private control directory for its sockets.
 *
 * <p>Every VMM is started through {@code setpriv --pdeathsig KILL} ({@link #setpriv}) from one
 * long-lived thread: the parent-death signal follows the thread that spawned the child, so that
 * thread must live as long as the agent.
 */
public final class VmLauncher {
    private final String vmm;
    private final Optional<UserPrincipal> vmUser;
    private final Path controlRoot;
    private final ExecutorService spawner;

    /**
     * @param vmm     the VMM's name, for messages and the spawner thread
     * @param dataDir the agent's data directory, which names its control root
     * @param vmUser  the user the VMM is dropped to, who must own its control directories
     */
    public VmLauncher(String vmm, Path dataDir, Optional<UserPrincipal> vmUser) {
        this.vmm = vmm;
        this.vmUser = vmUser;
        this.controlRoot = controlRoot(dataDir);
        this.spawner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, vmm.toLowerCase(Locale.ROOT) + "-spawner");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * {@code setpriv}: parent-death signal, no new privileges and, when {@code user} is given, that
     * user and group with only {@code extraGroup} (e.g. {@code kvm}) as supplementary group.
     */
    public static List<String> setpriv(Optional<String> user, Optional<String> group, Optional<String> extraGroup) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--no-new-privs"));
        user.ifPresent(u -> {
            argv.addAll(List.of("--reuid", u, "--regid", group.orElse(u)));
            if (extraGroup.isPresent()) {
                argv.addAll(List.of("--groups", extraGroup.get()));
            } else {
                argv.add("--clear-groups");
            }
        });
        argv.add("--");
        return argv;
    }

    /**
     * Starts a command from the spawner thread in a clean environment; stdin from /dev/null, or a
     * pipe the caller writes to (the guest's serial input, for a VMM that reads it).
     */
    public Process spawn(List<String> argv, boolean stdinPipe) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (!stdinPipe) {
            builder.redirectInput(new File("/dev/null"));
        }
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Future<Process> started = spawner.submit(builder::start);
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + vmm, e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getCause().getMessage(),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    /** A private directory for one VM's sockets, owned by the user the VMM runs as; the caller deletes it. */
    /** The parent of the VMs' control directories: under the temporary directory, reachable by the VMM's user. */
    public Path controlRoot() {
        return controlRoot;
    }

    public Path controlDir() {
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

    /**
     * The parent of this agent's VM control directories: short (Unix socket paths are limited to 107
     * bytes), so under the temporary directory, named after the data directory so that agents sharing
     * a host do not meet; emptied at start of what a killed previous run left.
     */
    private static Path controlRoot(Path dataDir) {
        String name = "skiff-vm-" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        Path root = Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
        try {
            Trees.delete(root);
            return Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + root + ": " + e.getMessage(), e);
        }
    }
}
