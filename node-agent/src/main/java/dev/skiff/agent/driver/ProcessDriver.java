package dev.skiff.agent.driver;

import dev.skiff.agent.AgentConfig;
import dev.skiff.secrets.FunctionSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs each instance as a child process: the runtime glue on a JVM, in a clean environment.
 * The instance reports ready by printing {@code SKIFF_READY port=N}; it watches its stdin and
 * exits when the agent goes away, so no instance outlives its agent even after a SIGKILL.
 */
public final class ProcessDriver implements InstanceDriver {
    private static final Logger LOG = Logger.getLogger(ProcessDriver.class);
    private static final Pattern READY = Pattern.compile("SKIFF_READY port=(\\d+)");
    private static final String GLUE_RESOURCE = "glue/runtime-glue.jar";

    private final String javaCommand;
    private final Path glueJar;

    public ProcessDriver(AgentConfig config) {
        this.javaCommand = config.process().javaCommand().orElseGet(ProcessDriver::currentJava);
        this.glueJar = config.process().glueJar().orElseGet(() -> extractGlue(config.dataDir()));
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public RunningInstance start(LaunchRequest request) {
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(request, javaCommand, glueJar);
        writeSecrets(ProcessLaunchPlan.secretsDir(request), request.secrets());
        ProcessBuilder builder = new ProcessBuilder(plan.command()).directory(plan.workingDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(plan.environment());
        try {
            Process process = builder.start();
            return new ProcessInstance(request.instanceId(), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + plan.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    /** The instance's secret files: a 0700 directory of 0400 files in its scratch directory, deleted with it. */
    private static void writeSecrets(Path dir, FunctionSecrets secrets) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            for (Map.Entry<String, byte[]> file : secrets.files().entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.deleteIfExists(target);
                Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(target, file.getValue());
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the instance's secret files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A started child process and the threads that read its output. */
    private static final class ProcessInstance implements RunningInstance {
        private final String id;
        private final Process process;
        private final CompletableFuture<Endpoint> ready = new CompletableFuture<>();
        private final CompletableFuture<Void> exited;

        ProcessInstance(String id, Process process) {
            this.id = id;
            this.process = process;
            this.exited = process.onExit().thenAccept(p -> ready.completeExceptionally(
                    new IllegalStateException("instance exited with status " + p.exitValue() + " before it was ready")));
            daemon("out-" + id, () -> readStdout(process.getInputStream()));
            daemon("err-" + id, () -> readStderr(process.getErrorStream()));
        }

        private void readStdout(InputStream out) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (!ready.isDone() && m.matches()) {
                        ready.complete(new Endpoint("127.0.0.1", Integer.parseInt(m.group(1))));
                    } else {
                        LOG.debugf("instance %s: %s", id, line);
                    }
                }
            } catch (IOException e) {
                LOG.debugf("instance %s stdout closed: %s", id, e.getMessage());
            }
        }

        private void readStderr(InputStream err) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    LOG.infof("instance %s stderr: %s", id, line);
                }
            } catch (IOException e) {
                LOG.debugf("instance %s stderr closed: %s", id, e.getMessage());
            }
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
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        @Override
        public long pid() {
            return process.pid();
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .filter(cmd -> cmd.endsWith("/java"))
                .orElseGet(() -> {
                    String home = System.getProperty("java.home");
                    return home != null ? Path.of(home, "bin", "java").toString() : "java";
                });
    }

    /** Copies the glue jar packed in the agent to the data dir, once per start (atomic replace). */
    private static Path extractGlue(Path dataDir) {
        Path target = dataDir.resolve("runtime-glue.jar");
        try (InputStream in = ProcessDriver.class.getClassLoader().getResourceAsStream(GLUE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(GLUE_RESOURCE + " is not packed in this agent; set skiff.node-agent.process.glue-jar");
            }
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "runtime-glue", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the runtime glue to " + target, e);
        }
    }
}
