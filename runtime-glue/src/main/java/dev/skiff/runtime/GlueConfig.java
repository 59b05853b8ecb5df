package dev.skiff.runtime;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The glue's configuration, parsed and checked from the environment the node agent gives the
 * instance (the variables are listed on {@link Main}). Everything not named {@code SKIFF_*} is the
 * function's own environment and is not modelled here: it simply stays in the process environment.
 *
 * @param runtime        how the function is run
 * @param handler        java: the handler class; exec: the executable, relative to {@code codeDir}
 * @param codeDir        the function's code, absolute and normalised
 * @param bind           address to listen on
 * @param port           port to listen on; 0 picks a free one
 * @param concurrency    calls served at once (worker threads)
 * @param instanceId     opaque id of the instance, echoed in the ready report
 * @param readyUrl       where to POST the ready report; null: print {@code SKIFF_READY port=N} on stdout
 * @param exitOnStdinEof halt when stdin reaches its end (the agent that started the glue is gone)
 */
public record GlueConfig(FunctionRuntime runtime, String handler, Path codeDir, String bind, int port,
        int concurrency, String instanceId, URI readyUrl, boolean exitOnStdinEof) {

    /** The two ways of running a function. */
    public enum FunctionRuntime {
        /** A {@code java.util.function.Function} loaded from the jars in the code directory. */
        JAVA,
        /** An executable run once per call: body on stdin, answer on stdout. */
        EXEC
    }

    public GlueConfig {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(codeDir, "codeDir");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(instanceId, "instanceId");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
    }

    /** Reads and checks the environment; throws IllegalArgumentException naming the variable at fault. */
    public static GlueConfig fromEnv(Map<String, String> env) {
        return new GlueConfig(
                runtime(required(env, "SKIFF_RUNTIME")),
                required(env, "SKIFF_HANDLER").strip(),
                codeDir(required(env, "SKIFF_CODE_DIR")),
                optional(env, "SKIFF_BIND", "127.0.0.1"),
                number(env, "SKIFF_PORT", 0, 0, 65535),
                number(env, "SKIFF_CONCURRENCY", 1, 1, 10_000),
                optional(env, "SKIFF_INSTANCE_ID", ""),
                readyUrl(env.get("SKIFF_READY_URL")),
                "true".equalsIgnoreCase(optional(env, "SKIFF_EXIT_ON_STDIN_EOF", "false")));
    }

    private static FunctionRuntime runtime(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "java" -> FunctionRuntime.JAVA;
            case "exec" -> FunctionRuntime.EXEC;
            default -> throw new IllegalArgumentException("SKIFF_RUNTIME must be java or exec, not '" + value + "'");
        };
    }

    private static Path codeDir(String value) {
        Path dir = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("SKIFF_CODE_DIR " + dir + " is not a directory");
        }
        return dir;
    }

    private static URI readyUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.strip());
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("not http(s)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SKIFF_READY_URL must be an http(s) URL, not '" + value + "'", e);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String optional(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }
}
