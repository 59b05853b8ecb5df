package dev.skiff.contracts;

/**
 * What one node measured of one function: instances by state, start and call times, and the
 * resources its instances used (what the tenant pays for).
 *
 * @param instances         instance counts by state (summed over the function's versions)
 * @param init              boot (start to ready) times, seconds, over the recent window
 * @param execution         call times in the instance, seconds, over the recent window
 * @param coldStarts        calls that waited for an instance to boot
 * @param warmStarts        calls served by a warm instance
 * @param cpuSeconds        CPU time used by the function's instances (their process trees)
 * @param memoryByteSeconds resident memory of its instances integrated over time
 */
public record FunctionStats(String function, FunctionInstances instances, Summary init, Summary execution,
        long coldStarts, long warmStarts, double cpuSeconds, double memoryByteSeconds) {

    /** Count, average, standard deviation, 95th percentile and maximum of a set of samples. */
    public record Summary(long count, double average, double stddev, double p95, double max) {
    }
}
