package dev.skiff.agent.driver.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.agent.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {
    @TempDir
    Path dir;

    @Test
    void portsComeFromBelowTheEphemeralRangeAndAreFree() {
        LoopbackPorts ports = new LoopbackPorts();
        for (int i = 0; i < 20; i++) {
            int port = ports.next();
            assertTrue(port >= 10_000 && port < LoopbackPorts.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range")),
                    "port " + port);
        }
    }

    @Test
    void aPortHandedOutIsNotHandedOutAgainUntilItsVmmHadTimeToBindIt() throws IOException {
        int base = freeBase();
        MutableClock clock = new MutableClock();
        AtomicInteger pick = new AtomicInteger();
        // the "random" pick: base, base, base+1, base, ...: the second call must skip base
        LoopbackPorts ports = new LoopbackPorts(base, base + 2, clock, bound -> pick.getAndIncrement() % 2 == 0 ? 0 : 1);
        int first = ports.next();
        int second = ports.next();
        assertNotEquals(first, second);
        clock.advance(LoopbackPorts.HELD.plus(Duration.ofSeconds(1)));
        pick.set(0);
        assertEquals(first, ports.next(), "held back no longer");
    }

    @Test
    void aPortSomeoneListensOnIsSkipped() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertFalse(LoopbackPorts.free(taken.getLocalPort()));
        }
    }

    @Test
    void theRangeFileIsReadLineByLineAndNonsenseFallsBack() throws IOException {
        assertEquals(40000, LoopbackPorts.ephemeralLow(Files.writeString(dir.resolve("range"), "40000\t60999\n")));
        assertEquals(32768, LoopbackPorts.ephemeralLow(Files.writeString(dir.resolve("odd"), "3")));
        assertEquals(32768, LoopbackPorts.ephemeralLow(dir.resolve("missing")));
    }

    /** Two adjacent free ports below the ephemeral range. */
    private static int freeBase() {
        for (int port = 20_000; port < 30_000; port += 2) {
            if (LoopbackPorts.free(port) && LoopbackPorts.free(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no two adjacent free ports");
    }
}
