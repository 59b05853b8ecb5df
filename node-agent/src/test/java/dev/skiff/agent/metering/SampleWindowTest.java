package dev.skiff.agent.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.contracts.FunctionStats;
import org.junit.jupiter.api.Test;

class SampleWindowTest {
    @Test
    void summaryGivesAverageStddevP95AndMax() {
        SampleWindow window = new SampleWindow(100);
        for (int i = 1; i <= 20; i++) {
            window.add(i);
        }
        FunctionStats.Summary s = window.summary();
        assertEquals(20, s.count());
        assertEquals(10.5, s.average(), 1e-9);
        assertEquals(Math.sqrt(33.25), s.stddev(), 1e-9);
        assertEquals(19, s.p95(), 1e-9);
        assertEquals(20, s.max(), 1e-9);
    }

    @Test
    void onlyTheMostRecentSamplesCountButTheTotalIsKept() {
        SampleWindow window = new SampleWindow(4);
        for (int i = 1; i <= 10; i++) {
            window.add(i);
        }
        FunctionStats.Summary s = window.summary();
        assertEquals(10, s.count());
        assertEquals(8.5, s.average(), 1e-9);
        assertEquals(10, s.max(), 1e-9);
    }

    @Test
    void emptyWindowIsAllZero() {
        assertEquals(new FunctionStats.Summary(0, 0, 0, 0, 0), new SampleWindow(4).summary());
    }
}
