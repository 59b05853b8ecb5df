package dev.skiff.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.contracts.FunctionSpec;
import dev.skiff.secrets.FunctionSecrets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessLaunchPlanTest {
    private static LaunchRequest request(String runtime, long memory) {
        FunctionSpec spec = new FunctionSpec("hello", runtime, runtime.equals("java") ? "com.example.Hello" : "handler.sh",
                Map.of("GREETING", "Hi"), null, null, memory, 1000, 3, 0, 5, 60, 10);
        return new LaunchRequest("hello-1", new FunctionVersion(spec, "sha256:" + "b".repeat(64), Path.of("/cache/code")),
                Path.of("/data/instances/hello-1"));
    }

    @Test
    void secretVariablesJoinTheEnvironmentButCannotOverrideTheGlueContract() {
        LaunchRequest plain = request("exec", 128L << 20);
        LaunchRequest withSecrets = new LaunchRequest(plain.instanceId(), plain.version(), plain.scratchDir(),
                new FunctionSecrets(Map.of("db", "x".getBytes()), Map.of("DB_PASSWORD", "hunter2", "SKIFF_HANDLER", "evil.sh")));
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(withSecrets, "java", Path.of("/glue.jar"));
        assertEquals("hunter2", plan.environment().get("DB_PASSWORD"));
        assertEquals("handler.sh", plan.environment().get("SKIFF_HANDLER"));
        assertEquals("/data/instances/hello-1/secrets", plan.environment().get("SKIFF_SECRETS_DIR"));
        assertFalse(plan.toString().contains("hunter2"), plan.toString());
    }

    @Test
    void javaHeapFollowsTheMemoryLimit() {
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(request("java", 256L << 20), "/usr/bin/java", Path.of("/glue.jar"));
        assertTrue(plan.command().contains("-Xmx192m"), plan.command().toString());
        assertEquals("/usr/bin/java", plan.command().get(0));
        assertEquals("dev.skiff.runtime.Main", plan.command().get(plan.command().size() - 1));
    }

    @Test
    void instancesServeWithTcpNoDelaySoKeptAliveCallsAreNotDelayed() {
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(request("exec", 128L << 20), "java", Path.of("/glue.jar"));
        assertTrue(plan.command().contains("-Dsun.net.httpserver.nodelay=true"));
    }

    @Test
    void execWatchdogGetsASmallHeap() {
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(request("exec", 1L << 30), "java", Path.of("/glue.jar"));
        assertTrue(plan.command().contains("-Xmx" + ProcessLaunchPlan.EXEC_GLUE_HEAP_MB + "m"));
    }

    @Test
    void environmentHoldsTheFunctionEnvAndTheGlueContractOnly() {
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(request("exec", 128L << 20), "java", Path.of("/glue.jar"));
        Map<String, String> env = plan.environment();
        assertEquals("Hi", env.get("GREETING"));
        assertEquals("exec", env.get("SKIFF_RUNTIME"));
        assertEquals("handler.sh", env.get("SKIFF_HANDLER"));
        assertEquals("/cache/code", env.get("SKIFF_CODE_DIR"));
        assertEquals("3", env.get("SKIFF_CONCURRENCY"));
        assertEquals("true", env.get("SKIFF_EXIT_ON_STDIN_EOF"));
        assertEquals("/data/instances/hello-1", env.get("HOME"));
        assertFalse(env.keySet().stream().anyMatch(k -> System.getenv().containsKey(k) && !isContract(k)),
                "nothing of the agent's own environment leaks in: " + env.keySet());
        assertEquals(Path.of("/data/instances/hello-1"), plan.workingDir());
    }

    @Test
    void relativeDataDirPathsAreMadeAbsoluteSinceTheInstanceRunsInItsScratchDir() {
        FunctionSpec spec = new FunctionSpec("hello", "exec", "handler.sh", Map.of(), null, null, 128L << 20, 1000, 1, 0, 1, 60, 10);
        LaunchRequest relative = new LaunchRequest("hello-1", new FunctionVersion(spec, "sha256:" + "b".repeat(64),
                Path.of("data/artifacts/code")), Path.of("data/instances/hello-1"));
        ProcessLaunchPlan plan = ProcessLaunchPlan.of(relative, "java", Path.of("data/runtime-glue.jar"));
        assertEquals(Path.of("data/runtime-glue.jar").toAbsolutePath().toString(), plan.command().get(plan.command().indexOf("-cp") + 1));
        assertEquals(Path.of("data/artifacts/code").toAbsolutePath().toString(), plan.environment().get("SKIFF_CODE_DIR"));
        assertEquals(Path.of("data/instances/hello-1").toAbsolutePath(), plan.workingDir());
        assertEquals(plan.workingDir().toString(), plan.environment().get("HOME"));
    }

    private static boolean isContract(String key) {
        return key.startsWith("SKIFF_") || key.equals("PATH") || key.equals("HOME") || key.equals("TMPDIR")
                || key.equals("LANG") || key.equals("GREETING");
    }
}
