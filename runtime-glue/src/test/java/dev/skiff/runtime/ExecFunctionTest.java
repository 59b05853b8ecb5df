package dev.skiff.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecFunctionTest {
    @TempDir
    Path code;

    private Glue start(String handler) {
        return Main.start(new GlueConfig(GlueConfig.FunctionRuntime.EXEC, handler, code, "127.0.0.1", 0, 2,
                "test-1", null, false));
    }

    @Test
    void executableGetsTheBodyOnStdinAndTheWatchdogVariables() {
        TestFiles.script(code, "handler.sh",
                "read input; echo \"$input|$Http_Method|$Http_Path|$Http_Query|$Http_Content_Type|$Http_X_Tenant_Name\"");
        try (Glue glue = start("handler.sh")) {
            HttpResponse<String> response = Calls.send(Calls.to(glue.port(), "/sub/path?a=1&b=2")
                    .header("Content-Type", "text/csv").header("x-tenant-name", "acme")
                    .POST(HttpRequest.BodyPublishers.ofString("hello\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello|POST|/sub/path|a=1&b=2|text/csv|acme\n", response.body());
            assertEquals("text/csv", response.headers().firstValue("Content-Type").orElseThrow(),
                    "the caller's content type, as the OpenFaaS watchdog answers");
            assertTrue(response.headers().firstValue(CallHandler.DURATION_HEADER).isPresent());
        }
    }

    @Test
    void executableRunsInTheCodeDirectoryWithTheGlueEnvironment() throws Exception {
        TestFiles.script(code, "where.sh", "pwd; echo \"${PATH:+has-path}\"; echo \"${Http_Query:-no-query}\"");
        try (Glue glue = start("where.sh")) {
            HttpResponse<String> response = Calls.get(glue.port(), "/");
            assertEquals(code.toRealPath() + "\nhas-path\nno-query\n", response.body());
        }
    }

    @Test
    void nonZeroExitAnswers500WithTheLastLineOfStderr() {
        TestFiles.script(code, "fail.sh", "echo partial; echo first >&2; echo 'the real reason' >&2; exit 4");
        try (Glue glue = start("fail.sh")) {
            HttpResponse<String> response = Calls.post(glue.port(), "/", "");
            assertEquals(500, response.statusCode());
            assertEquals("exit status 4: the real reason", response.headers().firstValue(CallHandler.ERROR_HEADER).orElseThrow());
            assertEquals("first\nthe real reason\n", response.body());
        }
    }

    @Test
    void bodyOfAFailedCallIsTheLast4KiBOfStderr() {
        TestFiles.script(code, "noisy.sh", "head -c 10000 /dev/zero | tr '\\0' x >&2; echo >&2; echo last >&2; exit 1");
        try (Glue glue = start("noisy.sh")) {
            HttpResponse<String> response = Calls.post(glue.port(), "/", "");
            assertEquals(500, response.statusCode());
            assertEquals(ExecInvoker.STDERR_TAIL, response.body().length());
            assertTrue(response.body().endsWith("x\nlast\n"));
        }
    }

    @Test
    void bigInputAndOutputOnAllPipesDoNotBlock() {
        TestFiles.script(code, "copy.sh", "head -c 300000 /dev/zero >&2; cat; head -c 300000 /dev/zero >&2");
        String body = "0123456789".repeat(300_000);
        try (Glue glue = start("copy.sh")) {
            HttpResponse<String> response = Calls.post(glue.port(), "/", body);
            assertEquals(200, response.statusCode());
            assertEquals(body.length(), response.body().length());
        }
    }

    @Test
    void answerOverTheCapIsAFailureAndStopsTheExecutable() throws Exception {
        TestFiles.script(code, "endless.sh", "while :; do echo xxxxxxxxxxxxxxxxxxxxxxxx; done");
        try (ExecInvoker invoker = new ExecInvoker(code, "endless.sh", 1000)) {
            Invoker.Answer answer = invoker.invoke(new Invoker.Call("POST", "/", null, Map.of(), new byte[0]));
            assertEquals("response larger than 1000 bytes", answer.error());
        }
    }

    @Test
    void closingTheGlueKillsTheExecutableOfACallInFlight() throws Exception {
        TestFiles.script(code, "slow.sh", "echo $$ > pid; exec sleep 300");
        Glue glue = start("slow.sh");
        CompletableFuture.runAsync(() -> Calls.post(glue.port(), "/", ""));
        Path pidFile = code.resolve("pid");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        glue.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void handlerOutsideTheCodeDirectoryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> start("../../../bin/sh"));
        assertThrows(IllegalArgumentException.class, () -> start("/bin/sh"));
        assertThrows(IllegalArgumentException.class, () -> start("."));
    }

    @Test
    void handlerThatIsMissingOrNotExecutableIsRefused() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> start("missing.sh")).getMessage().contains("not a file"));
        Files.writeString(code.resolve("plain.txt"), "not executable");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> start("plain.txt")).getMessage().contains("not executable"));
    }

    @Test
    void requestHeadersBecomeGoStyleVariableNames() {
        Map<String, String> env = ExecInvoker.watchdogEnvironment(new Invoker.Call("GET", "/p", null,
                Map.of("X-forwarded-for", List.of("10.0.0.1"), "Query", List.of("spoofed")), new byte[0]));
        assertEquals("10.0.0.1", env.get("Http_X_Forwarded_For"));
        assertEquals("GET", env.get("Http_Method"));
        assertEquals("/p", env.get("Http_Path"));
        assertFalse(env.containsKey("Http_Query"), "only a real query sets Http_Query");
    }
}
