package dev.skiff.agent.heartbeat;

import dev.skiff.common.InternalToken;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.artifact.ArtifactCache;
import dev.skiff.agent.pool.PoolManager;
import dev.skiff.contracts.Heartbeat;
import dev.skiff.contracts.NodeCapacity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Registers this node with the scheduler and keeps telling it what runs here. The first
 * heartbeat registers; the scheduler rebuilds its whole view from these after a restart.
 * Asynchronous: a slow scheduler never holds up anything on this node.
 */
@ApplicationScoped
public class HeartbeatSender {
    private static final Logger LOG = Logger.getLogger(HeartbeatSender.class);

    private final AgentConfig config;
    private final PoolManager pools;
    private final ArtifactCache artifacts;
    private final HttpClient http;
    private final ObjectMapper json;
    private final AtomicBoolean connected = new AtomicBoolean(false);
    private final Optional<String> internalToken;

    HeartbeatSender(AgentConfig config, PoolManager pools, ArtifactCache artifacts, ObjectMapper json,
            @ConfigProperty(name = InternalToken.PROPERTY) Optional<String> internalToken) {
        this.internalToken = internalToken;
        this.artifacts = artifacts;
        this.config = config;
        this.json = json;
        this.pools = pools;
        this.http = HttpClient.newBuilder().connectTimeout(config.controlPlaneTimeout()).build();
    }

    @Scheduled(every = "${skiff.node-agent.heartbeat-interval:2s}", delay = 0,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() throws JsonProcessingException {
        Heartbeat heartbeat = new Heartbeat(config.nodeId(), config.advertisedUrl(),
                new NodeCapacity(PoolManager.vcpus(config), config.capacity().memoryBytes(), config.capacity().instanceSlots()),
                pools.counts(), pools.reserved(), artifacts.cached());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.schedulerUrl() + "/v1/nodes/" + config.nodeId()))
                .timeout(config.controlPlaneTimeout())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(heartbeat)));
        internalToken.filter(token -> !token.isEmpty())
                .ifPresent(token -> builder.header("Authorization", InternalToken.authorization(token)));
        HttpRequest request = builder.build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean ok = error == null && response.statusCode() / 100 == 2;
            if (ok && !connected.getAndSet(true)) {
                LOG.infof("node %s registered with the scheduler at %s", config.nodeId(), config.schedulerUrl());
            } else if (!ok && connected.getAndSet(false)) {
                LOG.warnf("heartbeat to %s failed: %s", config.schedulerUrl(),
                        error != null ? error.toString() : "status " + response.statusCode());
            }
        });
    }
}
