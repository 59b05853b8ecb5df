package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The four Skiff services started from the packaged build as separate processes on free ports,
 * each with its own data directory and log file under target/e2e. Stopped with SIGTERM (as
 * Ctrl-C would), then killed if they linger.
 */
final class SkiffProcesses implements AutoCloseable {
    /** The token the gateway pushes to the store with. */
    static final String STORE_TOKEN = java.util.UUID.randomUUID().toString();
    /** The token gateway, scheduler and agents present to each other (commands without it are refused). */
    static final String INTERNAL_TOKEN = java.util.UUID.randomUUID().toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path root = Path.of(System.getProperty("skiff.root", "..")).toAbsolutePath().normalize();
    final Path work;
    final int storePort = freePort();
    final int schedulerPort = freePort();
    final int agentPort = freePort();
    final int gatewayPort = freePort();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final List<String> extraAgentProperties = new ArrayList<>();
    private final List<String> extraGatewayProperties = new ArrayList<>();
    private final List<String> extraStoreProperties = new ArrayList<>();
    private boolean nats;

    SkiffProcesses(String name) throws IOException {
        this.work = Path.of(System.getProperty("skiff.e2e.work", "target/e2e")).toAbsolutePath().resolve(name + "-" + System.currentTimeMillis());
        Files.createDirectories(work);
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** The directory secret store the gateway and every agent share, as on one host. */
    Path secretsDir() {
        return work.resolve("secrets");
    }

    String agentUrl() {
        return "http://127.0.0.1:" + agentPort;
    }

    /** More system properties for every node agent (e.g. {@code -Dskiff.node-agent.driver=qemu}); call before start. */
    SkiffProcesses withAgentProperties(String... properties) {
        extraAgentProperties.addAll(List.of(properties));
        return this;
    }

    /** More system properties for the gateway; call before start. */
    SkiffProcesses withGatewayProperties(String... properties) {
        extraGatewayProperties.addAll(List.of(properties));
        return this;
    }

    /** More system properties for the function store; call before start. */
    SkiffProcesses withStoreProperties(String... properties) {
        extraStoreProperties.addAll(List.of(properties));
        return this;
    }

    /**
     * Starts a NATS server with JetStream (service name {@code nats}, data in the work directory)
     * before the others, and points the gateway's async calls at it; call before start.
     */
    SkiffProcesses withNats() {
        nats = true;
        return this;
    }

    /** Starts all four and waits until each reports ready. */
    SkiffProcesses start() throws IOException {
        return start(1);
    }

    /** Node agent {@code n} (1-based): its service name, as {@link #kill} and {@link #restart} take it. */
    static String agent(int n) {
        return n == 1 ? "node-agent" : "node-agent-" + n;
    }

    String agentUrl(int n) {
        return "http://127.0.0.1:" + ports.get(agent(n));
    }

    /** Starts store, scheduler, {@code agents} node agents (own ports, data dirs, node ids) and gateway. */
    SkiffProcesses start(int agents) throws IOException {
        try {
            return launchAll(agents);
        } catch (IOException | RuntimeException | Error e) {
            close();   // the caller never gets this object to close: leave no process behind
            throw e;
        }
    }

    private SkiffProcesses launchAll(int agents) throws IOException {
        if (nats) {
            int client = freePort();
            ports.put("nats", freePort());
            commands.put("nats", List.of(natsServer(), "-js", "-sd", work.resolve("nats").toString(), "-a", "127.0.0.1",
                    "-p", Integer.toString(client), "-m", Integer.toString(portOf("nats"))));
            environments.put("nats", Map.of());
            launch("nats");
            extraGatewayProperties.add("-Dskiff.gateway.async.nats-url=nats://127.0.0.1:" + client);
        }
        List<String> store = new ArrayList<>(List.of("-Dskiff.store.data-dir=" + work.resolve("store")));
        store.addAll(extraStoreProperties);
        start("function-store", storePort, store, Map.of("SKIFF_STORE_AUTH_PUSH_TOKEN", STORE_TOKEN));
        start("scheduler-service", schedulerPort, List.of("-Dskiff.scheduler.heartbeat-timeout=3s"),
                Map.of("SKIFF_INTERNAL_TOKEN", INTERNAL_TOKEN));
        for (int n = 1; n <= agents; n++) {
            int port = n == 1 ? agentPort : freePort();
            List<String> properties = new ArrayList<>(List.of(
                    "-Dskiff.node-agent.node-id=node-" + n,
                    "-Dskiff.node-agent.data-dir=" + work.resolve(agent(n)),
                    "-Dskiff.node-agent.store-url=http://127.0.0.1:" + storePort,
                    "-Dskiff.node-agent.scheduler-url=http://127.0.0.1:" + schedulerPort,
                    "-Dskiff.node-agent.advertised-url=http://127.0.0.1:" + port,
                    "-Dskiff.node-agent.heartbeat-interval=1s",
                    "-Dskiff.node-agent.reaper-interval=200ms",
                    "-Dskiff.secrets.dir=" + secretsDir()));
            properties.addAll(extraAgentProperties);
            start(agent(n), port, properties, Map.of("SKIFF_INTERNAL_TOKEN", INTERNAL_TOKEN));
        }
        List<String> gateway = new ArrayList<>(List.of(
                "-Dskiff.gateway.store-url=http://127.0.0.1:" + storePort,
                "-Dskiff.gateway.scheduler-url=http://127.0.0.1:" + schedulerPort,
                "-Dskiff.secrets.dir=" + secretsDir()));
        gateway.addAll(extraGatewayProperties);
        start("gateway-service", gatewayPort, gateway,
                Map.of("SKIFF_GATEWAY_STORE_TOKEN", STORE_TOKEN, "SKIFF_INTERNAL_TOKEN", INTERNAL_TOKEN));
        for (Map.Entry<String, Process> service : processes.entrySet()) {
            await(service.getKey() + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!service.getValue().isAlive()) {
                            throw new IllegalStateException(service.getKey() + " exited; see " + work.resolve(service.getKey() + ".log"));
                        }
                        return status(readyUrl(service.getKey())) == 200;
                    });
        }
        // the agent is placeable once the scheduler has its first heartbeat
        await("nodes registered").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> body("http://127.0.0.1:" + schedulerPort + "/v1/nodes").split("\"up\":true", -1).length - 1 == agents);
        return this;
    }

    private void start(String service, int port, List<String> properties, Map<String, String> env) throws IOException {
        ports.put(service, port);
        String module = service.startsWith("node-agent") ? "node-agent" : service;
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the build first (./mvnw verify does)");
        }
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        commands.put(service, command);
        environments.put(service, env);
        launch(service);
    }

    private void launch(String service) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(commands.get(service)).directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(service + ".log").toFile()));
        builder.environment().putAll(environments.get(service));
        processes.put(service, builder.start());
    }

    /** Kills a service with SIGKILL, as a crash would, and waits until it is gone. */
    void kill(String service) throws InterruptedException {
        Process process = processes.get(service);
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Starts a killed service again, same port and data, and waits until it is ready. */
    void restart(String service) throws IOException {
        launch(service);
        await(service + " ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status(readyUrl(service)) == 200);
    }

    /** Where a service says it is ready: Quarkus' health, or NATS' monitoring health with JetStream. */
    private String readyUrl(String service) {
        return "http://127.0.0.1:" + portOf(service) + (service.equals("nats") ? "/healthz?js-enabled-only=true" : "/q/health/ready");
    }

    private static String natsServer() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nats-server"))) {
                return Path.of(dir, "nats-server").toString();
            }
        }
        throw new IllegalStateException("nats-server is missing: apt-get install -y nats-server");
    }

    private int portOf(String service) {
        return ports.get(service);
    }

    Process process(String service) {
        return processes.get(service);
    }

    @Override
    public void close() {
        List<Process> running = new ArrayList<>(processes.values());
        java.util.Collections.reverse(running);
        running.forEach(Process::destroy);
        for (Process process : running) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A GET's body, or "" when it fails; internal APIs ({@code /v1/}) are asked with the internal token. */
    static String body(String url) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
            if (url.contains("/v1/")) {
                request.header("Authorization", "Bearer " + INTERNAL_TOKEN);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A request to an agent's or the scheduler's internal API, with the token they ask every caller for. */
    static io.restassured.specification.RequestSpecification internal() {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + INTERNAL_TOKEN);
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * A port for a service to listen on, free now and outside the kernel's ephemeral range: a port
     * the kernel handed out (ServerSocket(0)) can be taken by any outgoing connection before the
     * service binds it, which once failed a CI run ("Port 33579 seems to be in use"). Below that
     * range only listeners take ports; each port is handed out once per test JVM.
     */
    static synchronized int freePort() {
        int low = ephemeralLow();
        int first = 10_000;
        for (int attempt = 0; low - first > 1000 && attempt < 200; attempt++) {
            int port = first + java.util.concurrent.ThreadLocalRandom.current().nextInt(low - first);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress(port));
                HANDED_OUT.add(port);
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    /** The first port of the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}), 32768 if unknown. */
    private static int ephemeralLow() {
        try {
            // read line-wise: this kernel's procfs reports the file empty, and a whole-file read got one byte
            List<String> lines = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int low = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
            return low >= 1024 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
