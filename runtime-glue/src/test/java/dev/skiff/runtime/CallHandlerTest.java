package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallHandlerTest {
    @TempDir
    Path code;

    private Glue startFailingFunction() {
        TestFiles.script(code, "never.sh", "echo called > called; exit 1");
        return Main.start(new GlueConfig(GlueConfig.FunctionRuntime.EXEC, "never.sh", code, "127.0.0.1", 0, 1,
                "test-1", null, false));
    }

    @Test
    void healthPathAnswersOkWithoutCallingTheFunction() {
        try (Glue glue = startFailingFunction()) {
            HttpResponse<String> response = Calls.get(glue.port(), CallHandler.HEALTH_PATH);
            assertEquals(200, response.statusCode());
            assertEquals("ok", response.body());
            assertTrue(response.headers().firstValue(CallHandler.DURATION_HEADER).isEmpty());
            assertFalse(Files.exists(code.resolve("called")));
        }
    }

    @Test
    void healthPathIsReservedForOtherMethodsToo() {
        try (Glue glue = startFailingFunction()) {
            HttpResponse<String> response = Calls.send(Calls.to(glue.port(), CallHandler.HEALTH_PATH)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, response.statusCode());
            assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void requestBodyOverTheLimitIsAnswered413WithoutCallingTheFunction() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", new CallHandler(call -> {
            calls.incrementAndGet();
            return Invoker.Answer.ok(call.body(), Invoker.TEXT);
        }, 10));
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertEquals(200, Calls.post(port, "/", "0123456789").statusCode());
            assertEquals(413, Calls.post(port, "/", "0123456789!").statusCode());
            assertEquals(1, calls.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void errorHeaderIsOnePrintableLineOfAtMost200Characters() {
        assertEquals("a b ? c", CallHandler.sanitise("a\r\nb \u0007 c\n"));
        assertEquals("caf?", CallHandler.sanitise("café"));
        assertEquals(200, CallHandler.sanitise("x".repeat(500)).length());
    }
}
