package dev.skiff.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the scheduler service. */
@ConfigMapping(prefix = "skiff.scheduler")
public interface SchedulerConfig {

    /** A node whose last heartbeat is older than this is down: no placement goes to it. */
    @WithDefault("10s")
    Duration heartbeatTimeout();

    /** Placement strategy: {@code spread} (fewest instances first) or {@code binpack} (fullest node first). */
    @WithDefault("spread")
    String placementStrategy();
}
