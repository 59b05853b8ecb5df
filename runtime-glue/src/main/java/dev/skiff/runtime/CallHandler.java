package dev.skiff.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The glue's HTTP surface. {@code GET /_/health} answers 200 {@code ok} without calling the
 * function; any other method and path is one function call with the request body.
 *
 * <p>A call answers 200 with the function's result, or 500 with the header
 * {@code X-Skiff-Function-Error} (one printable line of at most 200 characters) when the function
 * failed, so the agent can tell a failed call from a broken instance. Every call carries
 * {@code X-Duration-Seconds}, as the OpenFaaS watchdog does.
 */
final class CallHandler implements HttpHandler {
    static final String HEALTH_PATH = "/_/health";
    static final String ERROR_HEADER = "X-Skiff-Function-Error";
    static final String DURATION_HEADER = "X-Duration-Seconds";
    static final int MAX_ERROR_LENGTH = 200;

    private final Invoker invoker;
    private final int maxRequest;

    /** @param maxRequest largest request body accepted; a larger one is answered 413 */
    CallHandler(Invoker invoker, int maxRequest) {
        this.invoker = invoker;
        this.maxRequest = maxRequest;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            if (HEALTH_PATH.equals(path)) {
                health(exchange, method);
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(maxRequest + 1);
            if (body.length > maxRequest) {
                send(exchange, 413, Invoker.TEXT, ("request body larger than " + maxRequest + " bytes").getBytes(StandardCharsets.UTF_8));
                return;
            }
            long begin = System.nanoTime();
            Invoker.Answer answer = call(new Invoker.Call(method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body));
            exchange.getResponseHeaders().set(DURATION_HEADER,
                    String.format(Locale.ROOT, "%.6f", (System.nanoTime() - begin) / 1e9));
            if (answer.error() != null) {
                exchange.getResponseHeaders().set(ERROR_HEADER, sanitise(answer.error()));
            }
            send(exchange, answer.error() == null ? 200 : 500, answer.contentType(), answer.body());
        }
    }

    /** The function's answer; a failure of the glue itself (e.g. the executable could not start) is a 500 too. */
    private Invoker.Answer call(Invoker.Call call) {
        try {
            return invoker.invoke(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Invoker.Answer.failed("call interrupted: the instance is stopping");
        } catch (Exception e) {
            return Invoker.Answer.failed(Invoker.describe(e));
        }
    }

    private static void health(HttpExchange exchange, String method) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            send(exchange, 200, Invoker.TEXT, "ok".getBytes(StandardCharsets.US_ASCII));
        } else {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, Invoker.TEXT, new byte[0]);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** One printable ASCII line of at most 200 characters: safe as a header value. */
    static String sanitise(String text) {
        String line = text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?").strip();
        return line.length() > MAX_ERROR_LENGTH ? line.substring(0, MAX_ERROR_LENGTH) : line;
    }
}
