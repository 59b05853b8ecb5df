package dev.skiff.agent.metering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessUsageTest {
    @Test
    void statFieldsAreCountedFromTheLastParenthesis() {
        String stat = "4242 (java (glue) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 "
                + "150 30 7 3 20 0 19 0 12345 2000000000 9000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertArrayEquals(new long[] {150, 30, 7, 3, 9000}, ProcessUsage.parse(stat));
    }

    @Test
    void thisProcessUsesCpuAndMemory() {
        ProcessUsage.Reading reading = ProcessUsage.of(ProcessHandle.current().pid());
        assertTrue(reading.cpuSeconds() > 0, "a JVM that ran tests has used CPU");
        assertTrue(reading.residentBytes() > 10L << 20, "a JVM is more than 10 MiB resident");
    }

    @Test
    void aProcessThatIsGoneUsesNothing() {
        assertEquals(new ProcessUsage.Reading(0, 0), ProcessUsage.of(Long.MAX_VALUE));
    }
}
