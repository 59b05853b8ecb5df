import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Placement latency and scheduler memory at scale: starts the packaged scheduler, registers 1,000
 * simulated nodes holding 10,000 functions between them, then times placements (p50/p99) against
 * the floor of an HTTP round trip to the same process (GET /q/health/live), and reads the heap the
 * scheduler's view takes (after a GC, against the same process before any node registered).
 *
 * <p>Run from the repository root after {@code ./mvnw package}: {@code java bench/SchedulerBench.java}
 * (JDK 17 source launcher; no build needed). Bounded: NODES, FUNCTIONS, CALLS below; loopback only.
 */
public class SchedulerBench {
    static final int NODES = 1_000;
    static final int FUNCTIONS = 10_000;
    static final int CALLS = 5_000;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("scheduler-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Process scheduler = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dskiff.scheduler.heartbeat-timeout=10m",
                "-Dquarkus.log.level=WARN", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (status(base + "/q/health/ready") != 200) {
                if (System.nanoTime() > deadline || !scheduler.isAlive()) {
                    throw new IllegalStateException("scheduler did not start");
                }
                Thread.sleep(200);
            }
            warmUp(base);
            long heapEmpty = heapAfterGc(scheduler.pid(), base);

            long registerBegin = System.nanoTime();
            for (int n = 0; n < NODES; n++) {
                send("PUT", base + "/v1/nodes/node-" + n, heartbeat(n));
            }
            double registerMs = (System.nanoTime() - registerBegin) / 1e6;
            long heapFull = heapAfterGc(scheduler.pid(), base);

            double[] floor = time(CALLS, i -> send("GET", base + "/q/health/live", null));
            Random random = new Random(42);
            double[] place = time(CALLS, i -> {
                int f = random.nextInt(FUNCTIONS);
                int answer = send("POST", base + "/v1/placements", "{\"function\":\"fn-" + f + "\",\"digest\":\"" + digest(f)
                        + "\",\"memoryBytes\":134217728,\"cpuMillis\":250,\"maxScale\":0}");
                if (answer != 200) {
                    throw new IllegalStateException("placement answered " + answer);
                }
                return answer;
            });

            System.out.printf(Locale.ROOT, "Scheduler placement, %d nodes, %d functions, %d cores, %s%n%n", NODES, FUNCTIONS,
                    Runtime.getRuntime().availableProcessors(), java.time.Instant.now().toString().substring(0, 16) + "Z");
            System.out.println("| request (sequential, one connection) |    n | p50 (ms) | p99 (ms) | p50 / floor |");
            System.out.println("|---------------------------------------|-----:|---------:|---------:|------------:|");
            row("GET /q/health/live (floor)", floor, percentile(floor, 50));
            row("POST /v1/placements", place, percentile(floor, 50));
            System.out.printf(Locale.ROOT, "%nregistering %d nodes (one heartbeat each): %.0f ms%n", NODES, registerMs);
            System.out.printf(Locale.ROOT, "scheduler heap after GC: %.1f MiB empty, %.1f MiB with the view (%.1f KiB per node)%n",
                    heapEmpty / 1048576.0, heapFull / 1048576.0, (heapFull - heapEmpty) / 1024.0 / NODES);
        } finally {
            scheduler.destroy();
            scheduler.waitFor();
        }
    }

    static String digest(int function) {
        return "sha256:" + String.format("%064x", function);
    }

    /** Node n holds the functions n, n + NODES, n + 2 NODES ...: 10 each, and caches their artefacts. */
    static String heartbeat(int n) {
        StringBuilder functions = new StringBuilder();
        StringBuilder cached = new StringBuilder();
        for (int f = n; f < FUNCTIONS; f += NODES) {
            functions.append(functions.isEmpty() ? "" : ",").append("{\"function\":\"fn-").append(f).append("\",\"digest\":\"")
                    .append(digest(f)).append("\",\"booting\":0,\"ready\":1,\"busy\":1}");
            cached.append(cached.isEmpty() ? "" : ",").append('"').append(digest(f)).append('"');
        }
        return "{\"nodeId\":\"node-" + n + "\",\"url\":\"http://10.0." + (n / 250) + "." + (n % 250) + ":8082\","
                + "\"capacity\":{\"vcpus\":64,\"memoryBytes\":68719476736,\"instanceSlots\":200},"
                + "\"functions\":[" + functions + "],\"reserved\":{\"memoryBytes\":2684354560,\"cpuMillis\":5000},"
                + "\"cached\":[" + cached + "]}";
    }

    interface Call {
        int run(int i) throws Exception;
    }

    static double[] time(int n, Call call) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long begin = System.nanoTime();
            call.run(i);
            ms[i] = (System.nanoTime() - begin) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    static void warmUp(String base) throws Exception {
        send("PUT", base + "/v1/nodes/warm", heartbeat(0).replace("node-0", "warm"));
        time(2_000, i -> send("POST", base + "/v1/placements", "{\"function\":\"fn-0\",\"memoryBytes\":1,\"cpuMillis\":1}"));
        time(2_000, i -> send("GET", base + "/q/health/live", null));
    }

    static double percentile(double[] sorted, int p) {
        return sorted[(int) Math.ceil(p / 100.0 * sorted.length) - 1];
    }

    static void row(String label, double[] sorted, double floor) {
        System.out.printf(Locale.ROOT, "| %-37s | %4d | %8.3f | %8.3f | %10.2fx |%n", label, sorted.length,
                percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 50) / floor);
    }

    /** Heap used after a full GC, from the scheduler's own Prometheus metrics. */
    static long heapAfterGc(long pid, String base) throws Exception {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (long) metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static int status(String url) {
        try {
            return send("GET", url, null);
        } catch (Exception e) {
            return -1;
        }
    }

    static int send(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
