package dev.skiff.gateway.routing;

import dev.skiff.common.InternalToken;
import dev.skiff.contracts.Headers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Calls node agents with the Vert.x HTTP client: non-blocking, pooled keep-alive connections. */
@ApplicationScoped
public class AgentClient {
    /** Header of an agent's 503 when it has no room for another instance: the call never ran there. */
    public static final String NODE_FULL = "X-Skiff-Node-Full";

    private final HttpClient http;
    private final Optional<String> authorization;

    AgentClient(Vertx vertx, @ConfigProperty(name = InternalToken.PROPERTY) Optional<String> token) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(512).setKeepAlive(true)
                .setConnectTimeout(2000));
        this.authorization = token.filter(t -> !t.isEmpty()).map(InternalToken::authorization);
    }

    /** A request to an agent: commands carry the platform's internal token when there is one. */
    private RequestOptions request(HttpMethod method, URI agent, String uri) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(agent.getHost()).setPort(agent.getPort()).setURI(uri);
        authorization.ifPresent(value -> options.putHeader("Authorization", value));
        return options;
    }

    /** What the agent answered: status, the headers worth passing on, body. */
    public record AgentResponse(int status, Map<String, String> headers, Buffer body) {
    }

    /** One call of one function version on one node; {@code callId} (an async call's id, or null) makes the node run it once. */
    public Uni<AgentResponse> invoke(String agentUrl, String function, String digest, String method, String path,
            String query, String contentType, String callId, Buffer body, Duration timeout) {
        URI uri = URI.create(agentUrl);
        RequestOptions options = request(HttpMethod.POST, uri, "/v1/functions/" + function + "/invoke")
                .putHeader(Headers.FUNCTION_DIGEST, digest)
                .putHeader(Headers.CALL_METHOD, method)
                .putHeader(Headers.CALL_PATH, path);
        if (query != null && !query.isEmpty()) {
            options.putHeader(Headers.CALL_QUERY, query);
        }
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        if (callId != null) {
            options.putHeader(Headers.CALL_ID, callId);
        }
        return http.request(options)
                .chain(request -> request.send(body))
                .chain(response -> response.body().map(answer -> new AgentResponse(response.statusCode(), pick(response), answer)))
                .ifNoItem().after(timeout).fail();
    }

    /** Asks a node for {@code count} warm instances of a function version now; answers how many it has. */
    public Uni<Integer> preBoot(String agentUrl, String function, String digest, int count, Duration timeout) {
        URI uri = URI.create(agentUrl);
        return http.request(request(HttpMethod.POST, uri, "/v1/functions/" + function + "/instances")
                        .putHeader(Headers.FUNCTION_DIGEST, digest)
                        .putHeader("Content-Type", "application/json"))
                .chain(request -> request.send("{\"count\":" + count + "}"))
                .chain(response -> response.body().map(body -> {
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("node answered " + response.statusCode() + ": " + body);
                    }
                    return body.toJsonObject().getInteger("instances");
                }))
                .ifNoItem().after(timeout).fail();
    }

    /** Asks a node to kill every instance of a function. */
    public Uni<Void> stopFunction(String agentUrl, String function, Duration timeout) {
        URI uri = URI.create(agentUrl);
        return http.request(request(HttpMethod.DELETE, uri, "/v1/functions/" + function))
                .chain(request -> request.send())
                .replaceWithVoid()
                .ifNoItem().after(timeout).fail();
    }

    private static Map<String, String> pick(io.vertx.mutiny.core.http.HttpClientResponse response) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (String name : new String[] {"Content-Type", Headers.INSTANCE, Headers.START, Headers.DURATION_SECONDS, "Retry-After", NODE_FULL,
                Headers.CALL_REPLAY}) {
            String value = response.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }
}
