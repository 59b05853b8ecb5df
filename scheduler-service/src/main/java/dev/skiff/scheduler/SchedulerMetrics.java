package dev.skiff.scheduler;

import dev.skiff.contracts.NodeView;
import dev.skiff.scheduler.nodes.NodeRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Metric names and tag keys of the scheduler, and its gauges. */
@Startup
@ApplicationScoped
public class SchedulerMetrics {
    /** Counter {@code skiff_scheduler_placements_total{outcome}}. */
    public static final String PLACEMENTS = "skiff.scheduler.placements";
    /** Gauge {@code skiff_scheduler_nodes{state}}: nodes up and down. */
    public static final String NODES = "skiff.scheduler.nodes";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_STATE = "state";

    SchedulerMetrics(MeterRegistry meters, NodeRegistry registry) {
        Gauge.builder(NODES, registry, r -> r.nodes().stream().filter(NodeView::up).count())
                .tag(TAG_STATE, "up").register(meters);
        Gauge.builder(NODES, registry, r -> r.nodes().stream().filter(n -> !n.up()).count())
                .tag(TAG_STATE, "down").register(meters);
    }
}
