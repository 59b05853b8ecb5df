package dev.skiff.gateway.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallbacksTest {
    @Test
    void onlyAbsoluteHttpUrlsWithAHostAndNoCredentialsAreAccepted() {
        assertNull(Callbacks.invalid("http://127.0.0.1:8080/done"));
        assertNull(Callbacks.invalid("https://hooks.example.com/skiff?x=1"));
        assertEquals("must be an absolute http or https URL", Callbacks.invalid("file:///etc/passwd"));
        assertEquals("must be an absolute http or https URL", Callbacks.invalid("/relative"));
        assertEquals("must name a host", Callbacks.invalid("http:///nohost"));
        assertEquals("must not carry credentials", Callbacks.invalid("http://a:b@example.com/"));
        assertEquals("must be at most 2048 characters", Callbacks.invalid("http://example.com/" + "a".repeat(2048)));
        assertEquals("is not a URL: Illegal character in path", Callbacks.invalid("http://example.com/a b"));
        assertEquals("must have a port between 1 and 65535", Callbacks.invalid("http://127.0.0.1:99999/"));
    }

    @Test
    void aCallbackAnswering5xxIsTriedThreeTimesAnd4xxOnce() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        AtomicInteger status = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cb";
            Callbacks callbacks = new Callbacks(Duration.ofSeconds(2));
            Callbacks.Delivery failed = callbacks.post(url, "id", "fn", 200, "text/plain", new byte[] {1});
            assertEquals(Callbacks.ATTEMPTS, hits.get());
            assertEquals(503, failed.status());
            assertEquals("callback answered 503", failed.error());

            hits.set(0);
            status.set(404);
            Callbacks.Delivery refused = callbacks.post(url, "id", "fn", 200, null, new byte[0]);
            assertEquals(1, hits.get(), "a 4xx is the callback's answer, not a reason to try again");
            assertEquals(new Callbacks.Delivery(404, null), refused);
        } finally {
            server.stop(0);
        }
    }
}
