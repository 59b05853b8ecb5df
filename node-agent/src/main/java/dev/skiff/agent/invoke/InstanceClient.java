package dev.skiff.agent.invoke;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.driver.Endpoint;
import dev.skiff.contracts.Headers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Sends calls to instances over HTTP with the Vert.x client: non-blocking, pooled connections. */
@ApplicationScoped
public class InstanceClient {
    private final HttpClient http;
    private final long maxResponseBytes;

    /** An answer longer than {@code skiff.node-agent.max-response-bytes}: cut off, never held whole. */
    public static final class ResponseTooLarge extends RuntimeException {
        ResponseTooLarge(long limit) {
            super("the function's answer is larger than " + limit + " bytes", null, false, false);
        }
    }

    InstanceClient(Vertx vertx, AgentConfig config) {
        this.maxResponseBytes = config.maxResponseBytes();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(256)
                .setKeepAlive(true)
                .setConnectTimeout(2000));
    }

    /** Forwards a call; fails with a TimeoutException when the instance takes longer than {@code timeout}. */
    public Uni<CallResult> call(Endpoint endpoint, Call call, Duration timeout) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(call.method()))
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(call.query() == null ? call.path() : call.path() + "?" + call.query());
        if (call.contentType() != null) {
            options.putHeader("Content-Type", call.contentType());
        }
        return http.request(options)
                .chain(request -> request.send(call.body()))
                .chain(response -> body(response).map(body -> new CallResult(response.statusCode(),
                        response.getHeader("Content-Type"), body, response.getHeader(Headers.FUNCTION_ERROR),
                        response.getHeader(Headers.DURATION_SECONDS))))
                .ifNoItem().after(timeout).fail();
    }

    /**
     * The answer's body, read up to the limit: one that announces more, or sends more, resets the
     * request (closing the connection, so the instance stops sending) and fails with {@link ResponseTooLarge}.
     */
    private Uni<Buffer> body(HttpClientResponse response) {
        String length = response.getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxResponseBytes) {
            cutOff(response);
            return Uni.createFrom().failure(new ResponseTooLarge(maxResponseBytes));
        }
        return response.toMulti().collect().in(Buffer::buffer, (body, chunk) -> {
            if ((long) body.length() + chunk.length() > maxResponseBytes) {
                throw new ResponseTooLarge(maxResponseBytes);
            }
            body.appendBuffer(chunk);
        }).onFailure(ResponseTooLarge.class).invoke(() -> cutOff(response));
    }

    /** Resets the request, closing the connection; the reset the response then reports is expected, not an error to log. */
    private static void cutOff(HttpClientResponse response) {
        response.exceptionHandler(ignored -> { });
        response.request().reset();
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }
}
