package dev.skiff.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The classic OpenFaaS watchdog contract: each call runs the executable once, started directly
 * (no shell) in the code directory, with the request body on stdin and the glue's environment plus
 * OpenFaaS' {@code Http_*} variables; its stdout is the answer. A non-zero exit is a function
 * failure, reported with the last line of stderr; an answer over the size cap is one too.
 *
 * <p>stdin, stdout and stderr are served by three pipe threads so that no child blocks on a full
 * pipe. A child still running when its call ends (the worker was interrupted, the glue is closing)
 * is killed with its descendants.
 */
final class ExecInvoker implements Invoker {
    /** How much of the end of stderr is kept for a failed call. */
    static final int STDERR_TAIL = 4096;
    /** How long stdout/stderr may stay open after the executable exited (held by a background child). */
    static final Duration PIPE_GRACE = Duration.ofSeconds(2);

    private final Path executable;
    private final Path workingDir;
    private final int maxResponse;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService pipes = Executors.newCachedThreadPool(daemonThreads());

    /**
     * Checks the executable once, at start-up.
     *
     * @param maxResponse largest answer accepted; past it the executable is killed and the call fails
     *
     * @throws IllegalArgumentException if the handler is absolute, escapes the code directory, or is
     *                                  not an executable file
     */
    ExecInvoker(Path codeDir, String handler, int maxResponse) {
        this.executable = resolve(codeDir, handler);
        this.workingDir = codeDir;
        this.maxResponse = maxResponse;
    }

    @Override
    public Answer invoke(Call call) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(executable.toString()).directory(workingDir.toFile());
        builder.environment().putAll(watchdogEnvironment(call));
        Process process = builder.start();
        running.add(process);
        try {
            StreamCapture out = StreamCapture.head(process.getInputStream(), maxResponse, process::destroyForcibly);
            StreamCapture err = StreamCapture.tail(process.getErrorStream(), STDERR_TAIL);
            pipes.execute(out);
            pipes.execute(err);
            pipes.execute(() -> feed(process.getOutputStream(), call.body()));
            int status = process.waitFor();
            out.await(PIPE_GRACE);
            err.await(PIPE_GRACE);
            if (out.overflowed()) {
                return Answer.failed("response larger than " + maxResponse + " bytes");
            }
            if (status != 0) {
                byte[] tail = err.bytes();
                return Answer.failed("exit status " + status + lastLine(tail), tail);
            }
            String contentType = call.header("Content-Type");
            return Answer.ok(out.bytes(), contentType == null ? TEXT : contentType);
        } finally {
            running.remove(process);
            destroyTree(process);
        }
    }

    /** Kills the children of calls still running and stops the pipe threads. */
    @Override
    public void close() {
        running.forEach(ExecInvoker::destroyTree);
        pipes.shutdownNow();
    }

    /**
     * The handler as an absolute path inside the code directory.
     *
     * @throws IllegalArgumentException if it is absolute, escapes the directory, or is not an executable file
     */
    static Path resolve(Path codeDir, String handler) {
        Path relative;
        try {
            relative = Path.of(handler);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("handler '" + handler + "' is not a valid path", e);
        }
        Path resolved = codeDir.resolve(relative).normalize();
        if (relative.isAbsolute() || !resolved.startsWith(codeDir) || resolved.equals(codeDir)) {
            throw new IllegalArgumentException("handler '" + handler + "' is not inside the code directory " + codeDir);
        }
        if (!Files.isRegularFile(resolved)) {
            throw new IllegalArgumentException("handler " + resolved + " is not a file");
        }
        if (!Files.isExecutable(resolved)) {
            throw new IllegalArgumentException("handler " + resolved + " is not executable (chmod +x)");
        }
        return resolved;
    }

    /**
     * The variables the OpenFaaS classic watchdog sets: {@code Http_<Header_Name>} for every request
     * header, {@code Http_Method}, {@code Http_Path}, and {@code Http_Query} when there is a query.
     */
    static Map<String, String> watchdogEnvironment(Call call) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : call.headers().entrySet()) {
            if (!header.getValue().isEmpty() && header.getValue().get(0).indexOf('\0') < 0) {
                env.put("Http_" + canonical(header.getKey()).replace('-', '_'), header.getValue().get(0));
            }
        }
        env.put("Http_Method", call.method());
        env.put("Http_Path", call.path());
        env.remove("Http_Query");
        if (call.query() != null && !call.query().isEmpty()) {
            env.put("Http_Query", call.query());
        }
        return env;
    }

    /** {@code content-type} -> {@code Content-Type}, as Go (and so OpenFaaS) spells header names. */
    private static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static void feed(OutputStream stdin, byte[] body) {
        try (stdin) {
            stdin.write(body);
        } catch (IOException e) {
            // the executable need not read its input
        }
    }

    private static String lastLine(byte[] stderr) {
        String text = new String(stderr, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : ": " + text.substring(text.lastIndexOf('\n') + 1);
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "skiff-exec-pipe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
