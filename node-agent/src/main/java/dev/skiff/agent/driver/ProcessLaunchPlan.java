package dev.skiff.agent.driver;

import dev.skiff.contracts.FunctionSpec;
import dev.skiff.secrets.FunctionSecrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment of a process instance: a pure function of the function spec,
 * so it is unit-tested without starting anything. The instance gets a clean environment (the
 * agent's own is never inherited) holding only the function's env, its secret variables and the
 * glue's contract (which neither can override). Paths are absolute: the instance runs in its
 * scratch directory, where the agent's relative paths (a relative data dir, as the default is)
 * would name nothing.
 */
public record ProcessLaunchPlan(List<String> command, Map<String, String> environment, Path workingDir) {

    /** Heap of the watchdog JVM that forks exec functions; the function's own limit is for the function. */
    static final long EXEC_GLUE_HEAP_MB = 32;

    public static ProcessLaunchPlan of(LaunchRequest request, String javaCommand, Path glueJar) {
        FunctionSpec spec = request.version().spec();
        Path scratch = request.scratchDir().toAbsolutePath();
        long heapMb = FunctionSpec.RUNTIME_JAVA.equals(spec.runtime())
                ? Math.max(16, spec.memoryBytes() * 3 / 4 / (1024 * 1024))
                : EXEC_GLUE_HEAP_MB;
        List<String> command = new ArrayList<>(List.of(javaCommand,
                "-Xmx" + heapMb + "m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-Xss512k",
                "-Xshare:auto",
                // the JDK's HTTP server writes headers and body apart: without TCP_NODELAY, Nagle
                // and delayed ACKs add ~40 ms to every call on a kept-alive connection
                "-Dsun.net.httpserver.nodelay=true",
                "-cp", glueJar.toAbsolutePath().toString(),
                "dev.skiff.runtime.Main"));
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.putAll(request.secrets().env());
        env.put(FunctionSecrets.DIR_ENV, secretsDir(request).toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", scratch.toString());
        env.put("TMPDIR", scratch.toString());
        env.put("LANG", "C.UTF-8");
        env.put("SKIFF_RUNTIME", spec.runtime());
        env.put("SKIFF_HANDLER", spec.handler());
        env.put("SKIFF_CODE_DIR", request.version().codeDir().toAbsolutePath().toString());
        env.put("SKIFF_PORT", "0");
        env.put("SKIFF_BIND", "127.0.0.1");
        env.put("SKIFF_CONCURRENCY", Integer.toString(spec.concurrency()));
        env.put("SKIFF_INSTANCE_ID", request.instanceId());
        env.put("SKIFF_EXIT_ON_STDIN_EOF", "true");
        return new ProcessLaunchPlan(List.copyOf(command), Map.copyOf(env), scratch);
    }

    /** Where a process instance finds its secret files: in its private scratch directory, which dies with it. */
    public static Path secretsDir(LaunchRequest request) {
        return request.scratchDir().toAbsolutePath().resolve("secrets");
    }

    @Override
    public String toString() {
        // the environment may hold secret values: name the variables only
        return "ProcessLaunchPlan[command=" + command + ", environment=" + environment.keySet() + ", workingDir=" + workingDir + "]";
    }
}
