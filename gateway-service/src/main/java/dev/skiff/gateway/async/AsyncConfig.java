package dev.skiff.gateway.async;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Asynchronous invocation: calls wait in a NATS JetStream stream until a worker of a gateway runs them. */
@ConfigMapping(prefix = "skiff.gateway.async")
public interface AsyncConfig {
    /** The NATS server (with JetStream) holding the call queue, e.g. {@code nats://127.0.0.1:4222}; none: async calls answer 503. */
    Optional<String> natsUrl();

    /** Calls this gateway runs at once. */
    @WithDefault("4")
    int workers();

    /** Runs of one call at most, when it fails for a reason worth another try (no instance could start, no node answered). */
    @WithDefault("5")
    int maxAttempts();

    /** Delay before the second run; doubled for each further one. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest delay between runs. */
    @WithDefault("60s")
    Duration maxBackoff();

    /** Largest body an async call may carry, in bytes (NATS' own message limit is 1 MiB by default). */
    @WithDefault("1000000")
    int maxBodyBytes();

    /** Timeout of one POST to a caller's callback URL. */
    @WithDefault("10s")
    Duration callbackTimeout();

    /** How long a gateway may hold a call without word before the queue gives it to another (a dead gateway's calls run again after this). */
    @WithDefault("30s")
    Duration ackWait();

    /** How long the status of a finished call stays readable. */
    @WithDefault("24h")
    Duration statusRetention();
}
