package dev.skiff.scheduler.placement;

import dev.skiff.contracts.NodeView;
import dev.skiff.contracts.Placement;
import dev.skiff.contracts.PlacementRequest;
import dev.skiff.scheduler.SchedulerConfig;
import dev.skiff.scheduler.SchedulerMetrics;
import dev.skiff.scheduler.nodes.NodeRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/** Places new instances on nodes. */
@ApplicationScoped
public class PlacementService {
    private static final Logger LOG = Logger.getLogger(PlacementService.class);

    private final NodeRegistry registry;
    private final PlacementStrategy strategy;
    private final MeterRegistry meters;

    PlacementService(NodeRegistry registry, SchedulerConfig config, MeterRegistry meters) {
        this.registry = registry;
        this.strategy = new PlacementStrategy(config.placementStrategy());
        this.meters = meters;
    }

    /** The node that should run a new instance of the function. */
    public Placement place(PlacementRequest request) {
        List<NodeView> up = registry.upNodes();
        if (request.maxScale() > 0 && PlacementStrategy.instancesOf(up, request.function(), request.digest()) >= request.maxScale()) {
            meters.counter(SchedulerMetrics.PLACEMENTS, SchedulerMetrics.TAG_OUTCOME, "max_scale").increment();
            throw new NoCapacityException(request.function(), up.size(), "it has maxScale (" + request.maxScale() + ") instances");
        }
        NodeView node = strategy.choose(up, request).orElse(null);
        if (node == null) {
            meters.counter(SchedulerMetrics.PLACEMENTS, SchedulerMetrics.TAG_OUTCOME, "no_capacity").increment();
            throw new NoCapacityException(request.function(), up.size(), "no node that is up has room for its limits");
        }
        meters.counter(SchedulerMetrics.PLACEMENTS, SchedulerMetrics.TAG_OUTCOME, "placed").increment();
        LOG.debugf("placed %s on %s", request.function(), node.nodeId());
        return new Placement(node.nodeId(), node.url());
    }
}
