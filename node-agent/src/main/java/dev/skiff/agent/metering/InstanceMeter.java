package dev.skiff.agent.metering;

import dev.skiff.agent.pool.Instance;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters what instances use, the billing model: CPU seconds of each instance's process tree, and
 * resident memory integrated over time (trapezoids between samples), charged to its function.
 * Sampled on the pools' tick and once more just before an instance is killed.
 */
@ApplicationScoped
public class InstanceMeter {
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    private record Last(double cpuSeconds, long residentBytes, long atNanos) {
    }

    InstanceMeter(AgentMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Samples every running instance. */
    public void sample(Collection<Instance> instances) {
        instances.forEach(this::sample);
    }

    /** A last sample before the instance is killed; then it is forgotten. */
    public void stopping(Instance instance) {
        sample(instance);
        last.remove(instance.id());
    }

    /** Forgets an instance that went away by itself (what it used since the last sample is lost). */
    public void gone(Instance instance) {
        last.remove(instance.id());
    }

    private void sample(Instance instance) {
        long pid = instance.pid();
        if (pid <= 0) {
            return;
        }
        ProcessUsage.Reading now = ProcessUsage.of(pid);
        if (now.residentBytes() == 0) {
            return;
        }
        long at = System.nanoTime();
        Last previous = last.put(instance.id(), new Last(now.cpuSeconds(), now.residentBytes(), at));
        double cpu;
        double byteSeconds;
        if (previous == null) {
            double alive = Math.max(0, Duration.between(instance.startedAt(), clock.instant()).toNanos() / 1e9);
            cpu = now.cpuSeconds();
            byteSeconds = now.residentBytes() * alive;
        } else {
            double seconds = (at - previous.atNanos()) / 1e9;
            cpu = Math.max(0, now.cpuSeconds() - previous.cpuSeconds());
            byteSeconds = (previous.residentBytes() + now.residentBytes()) / 2.0 * seconds;
        }
        metrics.used(instance.version().name(), cpu, byteSeconds);
    }
}
