package dev.skiff.scheduler.nodes;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.Heartbeat;
import dev.skiff.contracts.NodeView;
import dev.skiff.scheduler.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The nodes the scheduler knows: soft state, rebuilt from the agents' heartbeats after a restart.
 * A node is up while its last heartbeat is younger than the configured timeout.
 */
@ApplicationScoped
public class NodeRegistry {
    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);

    private final Map<String, Entry> nodes = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SchedulerConfig config;

    NodeRegistry(Clock clock, SchedulerConfig config) {
        this.clock = clock;
        this.config = config;
    }

    private record Entry(Heartbeat heartbeat, Instant seen) {
    }

    /** Records a heartbeat (the first one registers the node). Returns true when the node is new. */
    public boolean heartbeat(Heartbeat heartbeat) {
        Entry previous = nodes.put(heartbeat.nodeId(), new Entry(heartbeat, clock.instant()));
        if (previous == null) {
            LOG.infof("node %s registered at %s", heartbeat.nodeId(), heartbeat.url());
        } else if (!isUp(previous.seen())) {
            LOG.infof("node %s is back", heartbeat.nodeId());
        }
        return previous == null;
    }

    /** Every known node, up or down, sorted by id. */
    public List<NodeView> nodes() {
        return nodes.values().stream()
                .map(e -> new NodeView(e.heartbeat().nodeId(), e.heartbeat().url(), e.heartbeat().capacity(),
                        isUp(e.seen()), e.seen(), e.heartbeat().functions(), e.heartbeat().reserved(), e.heartbeat().cached()))
                .sorted(Comparator.comparing(NodeView::nodeId))
                .toList();
    }

    /** The nodes that may take new instances now. */
    public List<NodeView> upNodes() {
        return nodes().stream().filter(NodeView::up).toList();
    }

    /** Instance counts per function, summed over the nodes that are up. */
    public List<FunctionInstances> functions() {
        Map<String, FunctionInstances> sums = new TreeMap<>();
        for (NodeView node : upNodes()) {
            for (FunctionInstances f : node.functions()) {
                sums.merge(f.function(), new FunctionInstances(f.function(), null, f.booting(), f.ready(), f.busy()),
                        (a, b) -> new FunctionInstances(a.function(), null, a.booting() + b.booting(),
                                a.ready() + b.ready(), a.busy() + b.busy()));
            }
        }
        return List.copyOf(sums.values());
    }

    private boolean isUp(Instant seen) {
        return !seen.plus(config.heartbeatTimeout()).isBefore(clock.instant());
    }
}
