package dev.skiff.agent.pool;

import dev.skiff.agent.AgentConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Instances left from the agent's previous run. Each instance's scratch directory records its
 * process (pid and start time); at start-up the agent kills every recorded process that is still
 * the same process (same start time: pids are reused) and deletes the directories, so nothing
 * leaks across restarts. Instances also halt by themselves when their agent's pipe closes; this
 * covers the rest (an instance wedged before it read its stdin, or a VMM that does not watch it).
 */
@ApplicationScoped
public class LeftoverInstances {
    private static final Logger LOG = Logger.getLogger(LeftoverInstances.class);
    private static final String PID_FILE = "instance.pid";

    private final Path root;

    @Inject
    LeftoverInstances(AgentConfig config) {
        this(config.dataDir().resolve("instances"));
    }

    LeftoverInstances(Path root) {
        this.root = root;
    }

    /** Kills what the previous run left, before this run starts any instance. */
    void onStart(@Observes StartupEvent event) {
        int killed = 0;
        int cleaned = 0;
        for (Path dir : directories()) {
            if (killIfAlive(dir.resolve(PID_FILE))) {
                killed++;
            }
            delete(dir);
            cleaned++;
        }
        if (cleaned > 0) {
            LOG.infof("previous run left %d instance directories; killed %d instances still running", cleaned, killed);
        }
    }

    /** Notes an instance's process in its scratch directory. */
    void record(String instanceId, long pid) {
        if (pid <= 0) {
            return;
        }
        String started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toString).orElse("-");
        try {
            Files.writeString(root.resolve(instanceId).resolve(PID_FILE), pid + " " + started + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("cannot record instance %s (pid %d): %s", instanceId, pid, e.getMessage());
        }
    }

    /** Deletes a stopped instance's scratch directory. */
    void forget(String instanceId) {
        Path dir = root.resolve(instanceId);
        if (Files.exists(dir)) {
            delete(dir);
        }
    }

    private boolean killIfAlive(Path pidFile) {
        try {
            String[] recorded = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split(" ");
            long pid = Long.parseLong(recorded[0]);
            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process == null || !process.isAlive()) {
                return false;
            }
            String started = process.info().startInstant().map(Instant::toString).orElse("-");
            if (!started.equals(recorded[1])) {
                return false;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private List<Path> directories() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
