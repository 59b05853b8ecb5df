package dev.skiff.agent.invoke;

import dev.skiff.agent.AgentConfig;
import dev.skiff.agent.AgentException;
import dev.skiff.agent.artifact.ArtifactCache;
import dev.skiff.agent.artifact.FunctionVersion;
import dev.skiff.agent.metering.AgentMetrics;
import dev.skiff.agent.pool.Lease;
import dev.skiff.agent.pool.PoolManager;
import dev.skiff.common.ProblemException;
import dev.skiff.contracts.Headers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import io.smallrye.mutiny.TimeoutException;

/**
 * Runs one call: resolveVersion() -> acquire() (warm slot, or wait for a boot) -> forward() ->
 * release(). A function error is answered 502 and keeps the instance; an instance that hangs past
 * the function's timeout (504) or breaks the connection (502) is killed, so the next call gets a
 * fresh one. A call with an id runs once per id on this node ({@link CallMemory}).
 */
@ApplicationScoped
public class InvocationService {
    private final ArtifactCache artifacts;
    private final PoolManager pools;
    private final InstanceClient client;
    private final AgentMetrics metrics;
    private final AgentConfig config;
    private final CallMemory memory;

    InvocationService(ArtifactCache artifacts, PoolManager pools, InstanceClient client, AgentMetrics metrics, AgentConfig config,
            CallMemory memory) {
        this.memory = memory;
        this.artifacts = artifacts;
        this.pools = pools;
        this.client = client;
        this.metrics = metrics;
        this.config = config;
    }

    /** A call that never reached its instance (the connection was refused): safe to run elsewhere. */
    private static final class NotDelivered extends RuntimeException {
        NotDelivered(String message) {
            super(message, null, false, false);
        }
    }

    /** Tries a call that was not delivered this many times, each on another instance. */
    private static final int DELIVERY_ATTEMPTS = 3;

    /**
     * Runs a call of a function version. A call with an id (an async call) runs once per id: a
     * repeat of the id gets the first run's answer; one without (null) always runs.
     */
    public Uni<Outcome> invoke(String function, String digest, Call call, String callId) {
        if (callId == null) {
            return measured(function, digest, call, () -> { });
        }
        return memory.once(function, callId, delivered -> measured(function, digest, call, delivered))
                .onItemOrFailure().invoke((outcome, error) -> {
                    String replay = outcome != null ? outcome.replay()
                            : error instanceof ProblemException p ? p.headers().get(Headers.CALL_REPLAY) : null;
                    if (replay != null) {
                        metrics.repeated(function, replay);
                    }
                });
    }

    /** One run of a call, counted in the metrics; {@code delivered} is told when the call is sent to an instance. */
    private Uni<Outcome> measured(String function, String digest, Call call, Runnable delivered) {
        long begin = System.nanoTime();
        return resolveVersion(function, digest)
                .chain(version -> run(version, call, delivered, 1))
                .onItemOrFailure().invoke((outcome, error) -> metrics.invoked(function,
                        outcome != null ? outcome.result().status() : statusOf(error),
                        Duration.ofNanos(System.nanoTime() - begin), outcome != null ? outcome.inInstance() : null));
    }

    /** Provisioned concurrency for a version: pulls it if needed (blocking) and boots up to {@code count} instances. */
    public int preBoot(String function, String digest, int count) {
        return pools.preBoot(artifacts.resolve(function, digest), count);
    }

    /** Step 1: the version's spec and code, from the local cache or pulled (on a worker thread). */
    private Uni<FunctionVersion> resolveVersion(String function, String digest) {
        return Uni.createFrom().item(() -> artifacts.resolve(function, digest))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Step 2: a slot on an instance (warm, or after a boot), then the call; undelivered calls go to another instance. */
    private Uni<Outcome> run(FunctionVersion version, Call call, Runnable delivered, int attempt) {
        return pools.acquire(version, queueWait(version))
                .chain(lease -> forward(version, lease, call, delivered))
                .onFailure(NotDelivered.class).recoverWithUni(e -> attempt < DELIVERY_ATTEMPTS
                        ? run(version, call, delivered, attempt + 1)
                        : Uni.createFrom().failure(AgentException.instanceCrashed(version.name(), e.getMessage())));
    }

    /** Step 3: the call to the instance, and the release (or discard) of the instance after it. */
    private Uni<Outcome> forward(FunctionVersion version, Lease lease, Call call, Runnable delivered) {
        Duration timeout = Duration.ofSeconds(version.spec().timeoutSeconds());
        long sent = System.nanoTime();
        delivered.run();
        return client.call(lease.instance().endpoint(), call, timeout)
                .onItem().transform(result -> {
                    pools.release(lease);
                    if (result.functionError() != null) {
                        throw AgentException.functionFailed(version.name(), result.functionError());
                    }
                    return new Outcome(result, lease.instance().id(), lease.cold(), Duration.ofNanos(System.nanoTime() - sent), null);
                })
                .onFailure(e -> !(e instanceof ProblemException)).transform(error -> {
                    if (error instanceof InstanceClient.ResponseTooLarge) {
                        pools.discard(lease.instance(), "answer cut off at " + config.maxResponseBytes() + " bytes");
                        return AgentException.functionFailed(version.name(), error.getMessage());
                    }
                    if (error instanceof TimeoutException) {
                        pools.discard(lease.instance(), "call ran past " + timeout.toSeconds() + "s");
                        return AgentException.timedOut(version.name(), "no answer within " + timeout.toSeconds() + "s");
                    }
                    pools.discard(lease.instance(), "connection failed: " + error.getMessage());
                    if (error instanceof java.net.ConnectException) {
                        return new NotDelivered("instance " + lease.instance().id() + " refused the connection");
                    }
                    return AgentException.instanceCrashed(version.name(), "the instance stopped answering ("
                            + error.getClass().getSimpleName() + ")");
                });
    }

    /** How long a call may wait for an instance: the function's timeout, but at least one boot. */
    private Duration queueWait(FunctionVersion version) {
        Duration timeout = Duration.ofSeconds(version.spec().timeoutSeconds());
        return timeout.compareTo(config.bootTimeout()) > 0 ? timeout : config.bootTimeout();
    }

    private static int statusOf(Throwable error) {
        return error instanceof ProblemException p ? p.status() : 500;
    }
}
