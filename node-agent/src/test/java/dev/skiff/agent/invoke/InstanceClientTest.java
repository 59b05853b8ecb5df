package dev.skiff.agent.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.driver.Endpoint;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's client of instances against a real HTTP server standing in for one: what it reads, and what it refuses to. */
class InstanceClientTest {
    private static final long LIMIT = 64 * 1024;
    private Vertx vertx;
    private HttpServer server;
    private InstanceClient client;
    private final AtomicInteger resets = new AtomicInteger();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            HttpServerResponse response = request.response().getDelegate();
            response.closeHandler(v -> resets.incrementAndGet());
            int size = Integer.parseInt(request.getParam("size"));
            if (request.path().equals("/chunked")) {
                response.setChunked(true);
                // an instance that never stops: only the client's reset ends it
                sendForever(response, size);
            } else {
                response.end(io.vertx.core.buffer.Buffer.buffer(new byte[size]));
            }
        }).listenAndAwait(0, "127.0.0.1");
        AgentConfig config = (AgentConfig) Proxy.newProxyInstance(AgentConfig.class.getClassLoader(), new Class<?>[] {AgentConfig.class},
                (proxy, method, args) -> method.getName().equals("maxResponseBytes") ? LIMIT : null);
        client = new InstanceClient(vertx, config);
    }

    private static void sendForever(HttpServerResponse response, int chunk) {
        if (response.closed()) {
            return;
        }
        response.write(io.vertx.core.buffer.Buffer.buffer(new byte[chunk])).onComplete(r -> {
            if (r.succeeded()) {
                sendForever(response, chunk);
            }
        });
    }

    @AfterEach
    void stop() {
        client.close();
        server.closeAndAwait();
        vertx.closeAndAwait();
    }

    private CallResult call(String path, int size) {
        return client.call(new Endpoint("127.0.0.1", server.actualPort()),
                new Call("GET", path, "size=" + size, null, Buffer.buffer()), Duration.ofSeconds(10)).await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void anAnswerUpToTheLimitIsReadWhole() {
        CallResult result = call("/", (int) LIMIT);
        assertEquals(200, result.status());
        assertEquals(LIMIT, result.body().length());
    }

    @Test
    void anAnswerAnnouncingMoreThanTheLimitIsRefusedBeforeItIsRead() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> call("/", (int) LIMIT + 1));
        assertInstanceOf(InstanceClient.ResponseTooLarge.class, e);
        assertTrue(e.getMessage().contains(Long.toString(LIMIT)), e.getMessage());
    }

    @Test
    void anEndlessAnswerIsCutOffAndItsConnectionClosed() {
        assertThrows(InstanceClient.ResponseTooLarge.class, () -> call("/chunked", 8192));
        org.awaitility.Awaitility.await("the instance's connection reset").atMost(Duration.ofSeconds(10))
                .until(() -> resets.get() > 0);
    }
}
