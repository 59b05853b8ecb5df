package dev.skiff.agent.driver.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Loopback ports for the VMM to forward to its guest. A port the kernel hands out
 * ({@code ServerSocket(0)}) lies in its ephemeral range, where any outgoing connection may take it
 * between the pick and the VMM's bind, failing that boot. These come from below that range, where
 * only listeners take ports; each is checked free, and not handed out again while the VMM it went
 * to may still be starting.
 */
public final class LoopbackPorts {
    /** How long a port handed out is kept back: longer than a VMM takes to bind it. */
    static final Duration HELD = Duration.ofMinutes(2);
    private static final int FIRST = 10_000;

    private final int low;
    private final int high;
    private final Clock clock;
    private final IntUnaryOperator random;
    private final Map<Integer, Instant> handedOut = new HashMap<>();

    /** Ports from 10000 up to the kernel's ephemeral range. */
    public LoopbackPorts() {
        this(FIRST, ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range")), Clock.systemUTC(),
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextInt(bound));
    }

    LoopbackPorts(int low, int high, Clock clock, IntUnaryOperator random) {
        this.low = low;
        this.high = high;
        this.clock = clock;
        this.random = random;
    }

    /** A loopback port free now; falls back to one the kernel picks when none below its range is. */
    public synchronized int next() {
        Instant now = clock.instant();
        handedOut.values().removeIf(at -> at.plus(HELD).isBefore(now));
        for (int attempt = 0; high - low > 0 && attempt < 100; attempt++) {
            int port = low + random.applyAsInt(high - low);
            if (!handedOut.containsKey(port) && free(port)) {
                handedOut.put(port, now);
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        }
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the ephemeral range, read line by line (procfs reports the file empty); 32768 if unknown. */
    static int ephemeralLow(Path rangeFile) {
        try {
            List<String> lines = Files.readAllLines(rangeFile);
            int first = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
            return first > FIRST ? first : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
