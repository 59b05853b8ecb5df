package dev.skiff.agent.metering;

import dev.skiff.contracts.FunctionStats;
import java.util.Arrays;

/** The most recent samples of one measure (a ring buffer), summarised on demand. Thread-safe. */
final class SampleWindow {
    private final double[] samples;
    private long count;

    SampleWindow(int capacity) {
        this.samples = new double[capacity];
    }

    synchronized void add(double value) {
        samples[(int) (count % samples.length)] = value;
        count++;
    }

    /** Average, standard deviation (population), 95th percentile (nearest rank) and maximum of the window. */
    synchronized FunctionStats.Summary summary() {
        int n = (int) Math.min(count, samples.length);
        if (n == 0) {
            return new FunctionStats.Summary(0, 0, 0, 0, 0);
        }
        double[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double average = sum / n;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - average) * (v - average);
        }
        double p95 = sorted[(int) Math.ceil(0.95 * n) - 1];
        return new FunctionStats.Summary(count, average, Math.sqrt(squares / n), p95, sorted[n - 1]);
    }
}
