package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaFunctionTest {
    @TempDir
    Path code;

    private Glue start(Class<?> handler) {
        return start(handler.getName(), 1);
    }

    private Glue start(String handler, int concurrency) {
        return Main.start(new GlueConfig(GlueConfig.FunctionRuntime.JAVA, handler, code, "127.0.0.1", 0, concurrency,
                "test-1", null, false));
    }

    @Test
    void stringHandlerAnswersTheBodyAsText() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Upper.class);
        try (Glue glue = start(TestHandlers.Upper.class)) {
            HttpResponse<String> response = Calls.post(glue.port(), "/", "héllo");
            assertEquals(200, response.statusCode());
            assertEquals("HÉLLO", response.body());
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(Double.parseDouble(response.headers().firstValue(CallHandler.DURATION_HEADER).orElseThrow()) >= 0);
        }
    }

    @Test
    void bytesHandlerGetsAndReturnsRawBytes() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Reverse.class);
        try (Glue glue = start(TestHandlers.Reverse.class)) {
            HttpResponse<byte[]> response = Calls.send(Calls.to(glue.port(), "/any/path")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, (byte) 0xff, (byte) 0xc3})).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xff, 2, 1}, response.body());
        }
    }

    @Test
    void throwingHandlerAnswers500WithTheExceptionInOneHeaderLine() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Fails.class);
        try (Glue glue = start(TestHandlers.Fails.class)) {
            HttpResponse<String> response = Calls.post(glue.port(), "/", "x");
            assertEquals(500, response.statusCode());
            assertEquals("java.lang.IllegalStateException: broken handler",
                    response.headers().firstValue(CallHandler.ERROR_HEADER).orElseThrow());
            assertEquals("java.lang.IllegalStateException: broken\nhandler", response.body());
        }
    }

    @Test
    void handlerIsInstantiatedOnceForAllCalls() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Counted.class);
        try (Glue glue = start(TestHandlers.Counted.class)) {
            Calls.post(glue.port(), "/", "");
            assertEquals("1", Calls.post(glue.port(), "/", "").body());
        }
    }

    @Test
    void handlerIsLoadedFromItsJarAloneAndRunsWithItsLoaderAsContextLoader() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Isolation.class);
        try (Glue glue = start(TestHandlers.Isolation.class)) {
            assertEquals("function true false", Calls.post(glue.port(), "/", "").body());
        }
    }

    @Test
    void callsRunInParallelUpToTheConcurrency() throws Exception {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Meet.class);
        try (Glue glue = start(TestHandlers.Meet.class.getName(), 2)) {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> Calls.post(glue.port(), "/", "").body());
            String second = Calls.post(glue.port(), "/", "").body();
            assertEquals("met", second);
            assertEquals("met", first.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void missingHandlerClassIsRefusedAtStart() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Upper.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start("com.example.Missing", 1));
        assertTrue(e.getMessage().contains("com.example.Missing not found"), e.getMessage());
    }

    @Test
    void glueClassesAreNotHandlersOfTheFunction() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.Upper.class);
        assertThrows(IllegalArgumentException.class, () -> start(Main.class.getName(), 1));
    }

    @Test
    void handlerWhoseConstructorThrowsIsRefusedAtStart() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.BrokenConstructor.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(TestHandlers.BrokenConstructor.class));
        assertTrue(e.getMessage().contains("no database"), e.getMessage());
    }

    @Test
    void classThatIsNotAFunctionIsRefusedAtStart() {
        FunctionJar.write(code.resolve("function.jar"), TestHandlers.NotAFunction.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(TestHandlers.NotAFunction.class));
        assertTrue(e.getMessage().contains("does not implement java.util.function.Function"), e.getMessage());
    }

    @Test
    void codeDirectoryWithoutJarsIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(TestHandlers.Upper.class));
        assertTrue(e.getMessage().contains("no .jar"), e.getMessage());
    }
}
