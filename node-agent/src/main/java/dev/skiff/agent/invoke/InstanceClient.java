package dev.skiff.agent.invoke;

import dev.skiff.agent.driver.Endpoint;
import dev.skiff.contracts.Headers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Sends calls to instances over HTTP with the Vert.x client: non-blocking, pooled connections. */
@ApplicationScoped
public class InstanceClient {
    private final HttpClient http;

    InstanceClient(Vertx vertx) {
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
                .chain(response -> response.body().map(body -> new CallResult(response.statusCode(),
                        response.getHeader("Content-Type"), body, response.getHeader(Headers.FUNCTION_ERROR),
                        response.getHeader(Headers.DURATION_SECONDS))))
                .ifNoItem().after(timeout).fail();
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }
}
