package dev.skiff.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged glue as a child process with a clean environment, as the node agent does. */
class GlueProcessIT {
    private static final Pattern READY = Pattern.compile("SKIFF_READY port=(\\d+)");
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path code;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killGlues() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    private Process glue(Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("skiff.glue.jar"));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("SKIFF_CODE_DIR", code.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static int readyPort(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = READY.matcher(line == null ? "" : line);
        assertTrue(m.matches(), "first stdout line: " + line);
        return Integer.parseInt(m.group(1));
    }

    private static String stderrOf(Process process) throws Exception {
        assertTrue(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void readyLineOnStdoutThenServesCalls() throws Exception {
        TestFiles.script(code, "handler.sh", "echo \"hi $(cat)\"");
        Process glue = glue(Map.of("SKIFF_RUNTIME", "exec", "SKIFF_HANDLER", "handler.sh"));
        int port = readyPort(glue);
        assertEquals("ok", Calls.get(port, CallHandler.HEALTH_PATH).body());
        assertEquals("hi there\n", Calls.post(port, "/", "there").body());
    }

    @Test
    void functionEnvironmentReachesTheJavaHandler() throws Exception {
        FunctionJar.write(code.resolve("fn.jar"), TestHandlers.EnvGreeting.class);
        Process glue = glue(Map.of("SKIFF_RUNTIME", "java", "SKIFF_HANDLER", TestHandlers.EnvGreeting.class.getName(),
                "GREETING", "Ahoy"));
        assertEquals("Ahoy, crew", Calls.post(readyPort(glue), "/", "crew").body());
    }

    @Test
    void readyCallbackCarriesTheListeningPort() throws Exception {
        CompletableFuture<String> report = new CompletableFuture<>();
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/ready", exchange -> {
            report.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        agent.start();
        try {
            TestFiles.script(code, "handler.sh", "echo pong");
            glue(Map.of("SKIFF_RUNTIME", "exec", "SKIFF_HANDLER", "handler.sh", "SKIFF_INSTANCE_ID", "fn-7",
                    "SKIFF_READY_URL", "http://127.0.0.1:" + agent.getAddress().getPort() + "/ready"));
            Matcher m = Pattern.compile("\\{\"instance\":\"fn-7\",\"port\":(\\d+)}").matcher(report.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(m.matches());
            assertEquals("pong\n", Calls.post(Integer.parseInt(m.group(1)), "/", "").body());
        } finally {
            agent.stop(0);
        }
    }

    @Test
    void unreachableReadyUrlEndsTheGlueWithStatus3() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TestFiles.script(code, "handler.sh", "echo pong");
        Process glue = glue(Map.of("SKIFF_RUNTIME", "exec", "SKIFF_HANDLER", "handler.sh",
                "SKIFF_READY_URL", "http://127.0.0.1:" + closedPort + "/ready"));
        assertTrue(stderrOf(glue).contains("ready callback"));
        assertEquals(Main.EXIT_READY_FAILED, glue.exitValue());
    }

    @Test
    void missingHandlerClassEndsTheGlueWithStatus2BeforeReady() throws Exception {
        FunctionJar.write(code.resolve("fn.jar"), TestHandlers.Upper.class);
        Process glue = glue(Map.of("SKIFF_RUNTIME", "java", "SKIFF_HANDLER", "com.example.Missing"));
        String stderr = stderrOf(glue);
        assertEquals(Main.EXIT_CANNOT_START, glue.exitValue());
        assertTrue(stderr.contains("com.example.Missing not found"), stderr);
        assertEquals("", new String(glue.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void glueAndTheChildOfItsCallDieWhenStdinCloses() throws Exception {
        TestFiles.script(code, "slow.sh", "echo $$ > pid; exec sleep 300");
        Process glue = glue(Map.of("SKIFF_RUNTIME", "exec", "SKIFF_HANDLER", "slow.sh", "SKIFF_EXIT_ON_STDIN_EOF", "true"));
        int port = readyPort(glue);
        CompletableFuture.runAsync(() -> Calls.post(port, "/", ""));
        Path pidFile = code.resolve("pid");
        await().atMost(LIMIT).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long child = Long.parseLong(Files.readString(pidFile).strip());

        glue.getOutputStream().close();

        assertTrue(glue.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, glue.exitValue());
        await().atMost(LIMIT).until(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void glueWithoutTheStdinWatchOutlivesItsStdin() throws Exception {
        TestFiles.script(code, "handler.sh", "echo pong");
        Process glue = glue(Map.of("SKIFF_RUNTIME", "exec", "SKIFF_HANDLER", "handler.sh"));
        int port = readyPort(glue);
        glue.getOutputStream().close();
        assertFalse(glue.waitFor(300, TimeUnit.MILLISECONDS));
        assertEquals("pong\n", Calls.post(port, "/", "").body());
    }
}
