package dev.skiff.agent.driver.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostClockTest {
    private static List<String> cpuinfo(String mhz, String flags) {
        return List.of("processor\t: 0", "model name\t: AMD EPYC", "cpu MHz\t\t: " + mhz, "flags\t\t: " + flags, "",
                "processor\t: 1", "cpu MHz\t\t: 1000.000", "flags\t\t: fpu", "");
    }

    @Test
    void aConstantKnownTscGivesTheFirstProcessorsFrequencyInKhz() {
        assertEquals(OptionalLong.of(2_245_780),
                HostClock.tscKhz(cpuinfo("2245.780", "fpu tsc constant_tsc nonstop_tsc tsc_known_freq rdtscp")));
    }

    @Test
    void aTscThatMayDriftOrWhoseFrequencyIsGuessedGivesNothing() {
        assertEquals(OptionalLong.empty(), HostClock.tscKhz(cpuinfo("2245.780", "fpu tsc constant_tsc nonstop_tsc")));
        assertEquals(OptionalLong.empty(), HostClock.tscKhz(cpuinfo("2245.780", "fpu tsc tsc_known_freq")));
    }

    @Test
    void garbageOrAMissingFileGivesNothing() {
        assertEquals(OptionalLong.empty(), HostClock.tscKhz(cpuinfo("fast", "constant_tsc nonstop_tsc tsc_known_freq")));
        assertEquals(OptionalLong.empty(), HostClock.tscKhz(List.of()));
        assertEquals(OptionalLong.empty(), HostClock.tscKhz(Path.of("/nonexistent/cpuinfo")));
    }
}
