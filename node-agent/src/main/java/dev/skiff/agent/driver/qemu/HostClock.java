package dev.skiff.agent.driver.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The host's TSC frequency, which a TCG guest's TSC runs at (QEMU reads the host's counter).
 *
 * <p>Why the guest needs it: the guest kernel calibrates its TSC against the emulated PIT in a
 * tight loop. On a loaded host the emulated CPU is descheduled mid-loop, calibration fails, the
 * kernel marks the TSC unstable and, with no HPET or ACPI PM timer on a microvm, boots no further
 * (seen here: 5 of 6 guests hung with four busy host threads; 6 of 6 booted with the frequency
 * given on the command line).
 */
final class HostClock {
    private HostClock() {
    }

    /** The TSC frequency in kHz, when the host says its TSC is constant and its frequency known. */
    static OptionalLong tscKhz(Path cpuinfo) {
        try {
            return tscKhz(Files.readAllLines(cpuinfo));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong tscKhz(List<String> cpuinfo) {
        String mhz = null;
        boolean constant = false;
        boolean known = false;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && mhz != null) {
                    break; // the first processor is enough
                }
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("cpu MHz") && mhz == null) {
                mhz = value;
            } else if (key.equals("flags")) {
                List<String> flags = List.of(value.split("\\s+"));
                constant = flags.contains("constant_tsc") && flags.contains("nonstop_tsc");
                known = flags.contains("tsc_known_freq");
            }
        }
        if (mhz == null || !constant || !known) {
            return OptionalLong.empty();
        }
        try {
            long khz = Math.round(Double.parseDouble(mhz) * 1000);
            return khz > 0 ? OptionalLong.of(khz) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
