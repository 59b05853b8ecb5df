package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadyCallbackTest {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private HttpServer agent;

    /** A fake agent that answers the given statuses in turn (the last one repeats). */
    private URI agent(int... statuses) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/ready", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)], -1);
            exchange.close();
        });
        agent.start();
        return URI.create("http://127.0.0.1:" + agent.getAddress().getPort() + "/ready");
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop(0);
        }
    }

    @Test
    void reportCarriesTheInstanceAndPortAsJson() throws Exception {
        new ReadyCallback(agent(204)).report("fn-abc", 4321);
        assertEquals(List.of("{\"instance\":\"fn-abc\",\"port\":4321}"), received);
        assertEquals(List.of("application/json"), contentTypes);
    }

    @Test
    void reportIsRetriedUntilTheAgentAccepts() throws Exception {
        new ReadyCallback(agent(503, 503, 200), Duration.ofMillis(1)).report("fn-abc", 1);
        assertEquals(3, received.size());
    }

    @Test
    void reportFailsAfterAFewRefusedAttempts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ReadyCallback callback = new ReadyCallback(URI.create("http://127.0.0.1:" + closedPort + "/ready"), Duration.ofMillis(1));
        assertThrows(IOException.class, () -> callback.report("fn-abc", 1));
    }

    @Test
    void instanceIdIsEscapedInTheJson() {
        assertEquals("{\"instance\":\"a\\\"b\\\\c\\u000a\",\"port\":7}", ReadyCallback.body("a\"b\\c\n", 7));
    }
}
