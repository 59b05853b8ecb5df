package dev.skiff.agent.metering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process tree, read from Linux's /proc: for the root its own
 * CPU time plus that of the children it has reaped (the exec runtime's per-call processes), for
 * live descendants their own. A pure reader; absent processes count as zero.
 */
final class ProcessUsage {
    /** USER_HZ: the unit of /proc/PID/stat times, 100 on every Linux architecture Skiff runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final long PAGE_SIZE = 4096;

    /** A reading: CPU seconds used so far, and resident bytes now. */
    record Reading(double cpuSeconds, long residentBytes) {
    }

    private ProcessUsage() {
    }

    static Reading of(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElse(null);
        if (root == null) {
            return new Reading(0, 0);
        }
        long[] rootStat = stat(pid);
        double cpu = (rootStat[0] + rootStat[1] + rootStat[2] + rootStat[3]) / TICKS_PER_SECOND;
        long rss = rootStat[4] * PAGE_SIZE;
        for (ProcessHandle child : (Iterable<ProcessHandle>) root.descendants()::iterator) {
            long[] s = stat(child.pid());
            cpu += (s[0] + s[1]) / TICKS_PER_SECOND;
            rss += s[4] * PAGE_SIZE;
        }
        return new Reading(cpu, rss);
    }

    /** utime, stime, cutime, cstime (ticks) and rss (pages) of a process; zeros if it is gone. */
    static long[] stat(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return new long[5];
        }
    }

    /** Parses /proc/PID/stat; the command name may hold spaces and parentheses, so fields count from the last ')'. */
    static long[] parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): field n is f[n - 3]
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                Long.parseLong(f[21])};
    }
}
