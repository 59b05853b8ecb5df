package dev.skiff.runtime;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime glue: runs inside every function instance (a child process today, a VM later) and
 * turns HTTP calls into function calls. JDK only, for a fast start. Run as
 * {@code java [jvm flags] -jar runtime-glue.jar} (or {@code -cp runtime-glue.jar dev.skiff.runtime.Main}).
 *
 * <p>Environment contract, set by the node agent:
 * <ul>
 * <li>{@code SKIFF_RUNTIME} (required): {@code java} or {@code exec}.</li>
 * <li>{@code SKIFF_HANDLER} (required): java: the fully qualified class of a
 *     {@code java.util.function.Function}; exec: the executable's path relative to the code directory.</li>
 * <li>{@code SKIFF_CODE_DIR} (required): the function's code. java: every {@code *.jar} in it is on
 *     the handler's class path (its own class loader, parent: the platform class loader). exec: holds
 *     the executable and is the working directory of each call.</li>
 * <li>{@code SKIFF_PORT} (default 0: a free port) and {@code SKIFF_BIND} (default 127.0.0.1): where to listen.</li>
 * <li>{@code SKIFF_CONCURRENCY} (default 1): worker threads, i.e. calls served at once.</li>
 * <li>{@code SKIFF_INSTANCE_ID}: opaque id, echoed in the ready report.</li>
 * <li>{@code SKIFF_READY_URL}: when set, once listening, {@code {"instance":"<id>","port":<port>}} is
 *     POSTed there (application/json), retried briefly until answered 2xx; if it never is, the glue
 *     exits with status 3. When not set, {@code SKIFF_READY port=<port>} is printed on stdout.</li>
 * <li>{@code SKIFF_EXIT_ON_STDIN_EOF=true}: halt (status 0) when stdin reaches its end, so an instance
 *     dies with the agent that spawned it, even one killed with SIGKILL.</li>
 * <li>Anything else is the function's own environment, passed on to the handler or the executable.</li>
 * </ul>
 * A bad environment or a function that cannot be served (class missing or not instantiable,
 * executable missing, not executable or outside the code directory) makes the glue print why on
 * stderr and exit with status 2, before it reports ready.
 */
public final class Main {
    /** Largest request or answer body, when the heap is large enough. */
    static final int MAX_BODY = 64 << 20;
    /** Exit status when the environment or the function is unusable. */
    static final int EXIT_CANNOT_START = 2;
    /** Exit status when the ready callback never succeeded. */
    static final int EXIT_READY_FAILED = 3;

    private Main() {
    }

    public static void main(String[] args) {
        GlueConfig config;
        try {
            config = GlueConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("skiff-glue: invalid environment: " + e.getMessage());
            System.exit(EXIT_CANNOT_START);
            return;
        }
        if (config.exitOnStdinEof()) {
            ParentWatch.haltAtEndOf(System.in);
        }
        ParentWatch.killChildrenOnShutdown();
        Glue glue;
        try {
            glue = start(config);
        } catch (RuntimeException e) {
            System.err.println("skiff-glue: cannot serve " + config.runtime().name().toLowerCase(Locale.ROOT) + " handler "
                    + config.handler() + ": " + e.getMessage());
            System.exit(EXIT_CANNOT_START);
            return;
        }
        System.err.println("skiff-glue: serving " + config.handler() + " on " + config.bind() + ":" + glue.port()
                + " with concurrency " + config.concurrency()
                + (config.instanceId().isEmpty() ? "" : " as instance " + config.instanceId()));
        reportReady(config, glue.port());
    }

    /**
     * Loads the function and starts serving. The function is loaded before the server listens, so
     * a function that cannot be served never gets a port.
     *
     * @throws IllegalArgumentException if the function cannot be served, saying why
     * @throws UncheckedIOException     if the server cannot listen
     */
    public static Glue start(GlueConfig config) {
        int bodyLimit = bodyLimit(Runtime.getRuntime().maxMemory());
        Invoker invoker = switch (config.runtime()) {
            case JAVA -> new JavaInvoker(config.codeDir(), config.handler());
            case EXEC -> new ExecInvoker(config.codeDir(), config.handler(), bodyLimit);
        };
        ExecutorService workers = Executors.newFixedThreadPool(config.concurrency(), callThreads());
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 128);
            server.setExecutor(workers);
            server.createContext("/", new CallHandler(invoker, bodyLimit));
            server.start();
            return new Glue(server, workers, invoker);
        } catch (IOException e) {
            workers.shutdownNow();
            invoker.close();
            throw new UncheckedIOException("cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The largest body the glue holds in memory: {@link #MAX_BODY}, or an eighth of the heap if
     * that is less (the node agent runs exec glues with a small heap), so that an oversized body is
     * answered with an error rather than an OutOfMemoryError.
     */
    static int bodyLimit(long maxHeap) {
        return (int) Math.max(64 * 1024, Math.min(MAX_BODY, maxHeap / 8));
    }

    /** Reports the instance ready: a callback when the agent gave a URL, else a line on stdout. */
    private static void reportReady(GlueConfig config, int port) {
        if (config.readyUrl() == null) {
            System.out.println("SKIFF_READY port=" + port);
            System.out.flush();
            return;
        }
        try {
            new ReadyCallback(config.readyUrl()).report(config.instanceId(), port);
        } catch (IOException | InterruptedException e) {
            System.err.println("skiff-glue: " + e.getMessage());
            System.exit(EXIT_READY_FAILED);
        }
    }

    private static ThreadFactory callThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> new Thread(task, "skiff-call-" + count.incrementAndGet());
    }
}
