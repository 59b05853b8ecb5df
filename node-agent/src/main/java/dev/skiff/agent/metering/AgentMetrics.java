package dev.skiff.agent.metering;

import dev.skiff.contracts.FunctionInstances;
import dev.skiff.contracts.FunctionStats;
import dev.skiff.contracts.Heartbeat;
import dev.skiff.contracts.NodeCapacity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Metric names and tag keys of the node agent, and the one place that records them. */
@ApplicationScoped
public class AgentMetrics {
    /** Counter {@code skiff_agent_invocations_total{function,status}}. */
    public static final String INVOCATIONS = "skiff.agent.invocations";
    /** Histogram {@code skiff_agent_invocation_seconds{function}}: time in the instance. */
    public static final String INVOCATION_SECONDS = "skiff.agent.invocation";
    /** Counter {@code skiff_agent_cold_starts_total{function}}: calls that waited for a boot. */
    public static final String COLD_STARTS = "skiff.agent.cold.starts";
    /** Counter {@code skiff_agent_warm_starts_total{function}}: calls served by a warm instance. */
    public static final String WARM_STARTS = "skiff.agent.warm.starts";
    /** Histogram {@code skiff_instance_boot_seconds{function}}: start to ready. */
    public static final String BOOT_SECONDS = "skiff.instance.boot";
    /**
     * Counter {@code skiff_agent_call_repeats_total{function,kind}}: calls with an id already seen,
     * answered without running again ({@code joined} the run in flight, {@code replayed} its kept
     * answer, or {@code status-only} when the body was too large to keep).
     */
    public static final String CALL_REPEATS = "skiff.agent.call.repeats";
    /**
     * Counter {@code skiff_agent_secret_reads_total{function,result}}: reads of a function's secrets
     * from the store as an instance starts ({@code ok}, {@code missing}: a secret or key it names is
     * not there, {@code unavailable}: the store did not answer).
     */
    public static final String SECRET_READS = "skiff.agent.secret.reads";
    /** Counter {@code skiff_agent_idle_kills_total{function}}: instances killed after their idle timeout. */
    public static final String IDLE_KILLS = "skiff.agent.idle.kills";
    /** Gauge {@code skiff_agent_instances{function,state}}. */
    public static final String INSTANCES = "skiff.agent.instances";
    /** Gauge {@code skiff_agent_queue_depth{function}}: calls waiting for an instance. */
    public static final String QUEUE_DEPTH = "skiff.agent.queue.depth";
    /** Counter {@code skiff_agent_cpu_seconds_total{function}}: CPU time of the function's instances. */
    public static final String CPU_SECONDS = "skiff.agent.cpu.seconds";
    /** Counter {@code skiff_agent_memory_byte_seconds_total{function}}: resident memory integrated over time. */
    public static final String MEMORY_BYTE_SECONDS = "skiff.agent.memory.byte.seconds";
    /** Gauge {@code skiff_node_capacity_vcpus}: vCPUs this node offers instances. */
    public static final String CAPACITY_VCPUS = "skiff.node.capacity.vcpus";
    /** Gauge {@code skiff_node_capacity_memory_bytes}: memory this node offers instances. */
    public static final String CAPACITY_MEMORY_BYTES = "skiff.node.capacity.memory.bytes";
    /** Gauge {@code skiff_node_capacity_instance_slots}: instances this node runs at most. */
    public static final String CAPACITY_INSTANCE_SLOTS = "skiff.node.capacity.instance.slots";
    /** Gauge {@code skiff_node_reserved_vcpus}: vCPUs the instances on this node hold (their limits). */
    public static final String RESERVED_VCPUS = "skiff.node.reserved.vcpus";
    /** Gauge {@code skiff_node_reserved_memory_bytes}: memory the instances on this node hold (their limits). */
    public static final String RESERVED_MEMORY_BYTES = "skiff.node.reserved.memory.bytes";
    public static final String TAG_FUNCTION = "function";
    public static final String TAG_STATUS = "status";
    public static final String TAG_STATE = "state";

    /** Samples kept per function for the stats endpoint's averages and percentiles. */
    private static final int WINDOW = 1024;

    private final MeterRegistry meters;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();

    /** What the stats endpoint reports of one function, beside the Prometheus meters. */
    private static final class Usage {
        final SampleWindow init = new SampleWindow(WINDOW);
        final SampleWindow execution = new SampleWindow(WINDOW);
        final LongAdder cold = new LongAdder();
        final LongAdder warm = new LongAdder();
        final DoubleAdder cpuSeconds = new DoubleAdder();
        final DoubleAdder memoryByteSeconds = new DoubleAdder();
    }

    AgentMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void repeated(String function, String kind) {
        meters.counter(CALL_REPEATS, TAG_FUNCTION, function, "kind", kind).increment();
    }

    public void secretsRead(String function, String result) {
        meters.counter(SECRET_READS, TAG_FUNCTION, function, "result", result).increment();
    }

    public void started(String function, boolean cold) {
        meters.counter(cold ? COLD_STARTS : WARM_STARTS, TAG_FUNCTION, function).increment();
        (cold ? usage(function).cold : usage(function).warm).increment();
    }

    public void booted(String function, Duration took) {
        Timer.builder(BOOT_SECONDS).tag(TAG_FUNCTION, function).publishPercentileHistogram()
                .register(meters).record(took);
        usage(function).init.add(took.toNanos() / 1e9);
    }

    /** A call ended with this status; {@code inInstance} is the time the instance spent on it, if it got that far. */
    public void invoked(String function, int status, Duration took, Duration inInstance) {
        meters.counter(INVOCATIONS, TAG_FUNCTION, function, TAG_STATUS, Integer.toString(status)).increment();
        Timer.builder(INVOCATION_SECONDS).tag(TAG_FUNCTION, function).publishPercentileHistogram()
                .register(meters).record(took);
        if (inInstance != null) {
            usage(function).execution.add(inInstance.toNanos() / 1e9);
        }
    }

    /** Resources a function's instances used since the last sample. */
    public void used(String function, double cpuSeconds, double memoryByteSeconds) {
        meters.counter(CPU_SECONDS, TAG_FUNCTION, function).increment(cpuSeconds);
        meters.counter(MEMORY_BYTE_SECONDS, TAG_FUNCTION, function).increment(memoryByteSeconds);
        Usage u = usage(function);
        u.cpuSeconds.add(cpuSeconds);
        u.memoryByteSeconds.add(memoryByteSeconds);
    }

    /** The stats of every function this node has seen, with the given instance counts. */
    public List<FunctionStats> stats(Function<String, FunctionInstances> counts) {
        return usage.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            Usage u = e.getValue();
            return new FunctionStats(e.getKey(), counts.apply(e.getKey()), u.init.summary(), u.execution.summary(),
                    u.cold.sum(), u.warm.sum(), u.cpuSeconds.sum(), u.memoryByteSeconds.sum());
        }).toList();
    }

    /**
     * The node's capacity and what its instances reserve of it, as the heartbeat reports them to
     * the scheduler. No node tag: Prometheus labels each agent's series by its scrape target.
     */
    public void registerNode(NodeCapacity capacity, Supplier<Heartbeat.Reserved> reserved) {
        Gauge.builder(CAPACITY_VCPUS, capacity::vcpus).register(meters);
        Gauge.builder(CAPACITY_MEMORY_BYTES, capacity::memoryBytes).register(meters);
        Gauge.builder(CAPACITY_INSTANCE_SLOTS, capacity::instanceSlots).register(meters);
        Gauge.builder(RESERVED_VCPUS, () -> reserved.get().cpuMillis() / 1000.0).register(meters);
        Gauge.builder(RESERVED_MEMORY_BYTES, () -> reserved.get().memoryBytes()).register(meters);
    }

    private Usage usage(String function) {
        return usage.computeIfAbsent(function, f -> new Usage());
    }

    public void reaped(String function) {
        meters.counter(IDLE_KILLS, TAG_FUNCTION, function).increment();
    }

    /**
     * Instance and queue gauges of a function, registered once per function name; the functions
     * read the current pools each scrape, so pools coming and going never leave stale gauges.
     */
    public void registerFunction(String function, Supplier<FunctionInstances> counts, IntSupplier queued) {
        gauge(function, "booting", () -> counts.get().booting());
        gauge(function, "ready", () -> counts.get().ready());
        gauge(function, "busy", () -> counts.get().busy());
        Gauge.builder(QUEUE_DEPTH, queued::getAsInt).tag(TAG_FUNCTION, function).register(meters);
    }

    private void gauge(String function, String state, IntSupplier value) {
        Gauge.builder(INSTANCES, value::getAsInt).tag(TAG_FUNCTION, function).tag(TAG_STATE, state).register(meters);
    }
}
