package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboards show data: the suite runs, a real Prometheus scrapes every service with the
 * scrape configuration of deploy/prometheus/prometheus.yml (targets moved to the test's ports),
 * calls are made (warm, cold, failing, and an instance killed when idle), and every PromQL
 * expression of every dashboard, and every dashboard variable, answers with data.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ObservabilityIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private static SkiffProcesses skiff;
    private static SkiffApi api;
    private static Process prometheus;
    private static Path prometheusData;
    private static String prometheusUrl;

    @BeforeAll
    static void start() throws IOException {
        Path binary = Files.isExecutable(PROMETHEUS) ? PROMETHEUS
                : Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(d -> Path.of(d, "prometheus"))
                        .filter(Files::isExecutable).findFirst()
                        .orElseThrow(() -> new AssertionError("prometheus is not installed: this test needs the Debian package "
                                + "'prometheus' (apt-get install -y prometheus; .ci/run installs it)"));
        skiff = new SkiffProcesses("observability").start();
        api = new SkiffApi(skiff);
        int port = freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        prometheusData = skiff.work.resolve("prometheus-data");
        Path config = skiff.work.resolve("prometheus.yml");
        Files.writeString(config, YAML.writeValueAsString(scrapeConfigForTheSuite()));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + prometheusData, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true)
                .redirectOutput(skiff.work.resolve("prometheus.log").toFile())
                .start();
        await("prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!prometheus.isAlive()) {
                throw new IllegalStateException("prometheus exited; see " + skiff.work.resolve("prometheus.log"));
            }
            return SkiffProcesses.status(prometheusUrl + "/-/ready") == 200;
        });
    }

    @AfterAll
    static void stop() throws IOException {
        if (prometheus != null) {
            prometheus.destroy();
            try {
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (prometheusData != null && Files.exists(prometheusData)) {
            try (Stream<Path> files = Files.walk(prometheusData)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        if (skiff != null) {
            skiff.close();
        }
    }

    @Test
    void everyDashboardQueryAndVariableReturnsData() throws Exception {
        List<Path> dashboards = DeployManifestsTest.files(DeployManifestsTest.DASHBOARDS, ".json");
        List<PromQueries.Query> queries = PromQueries.inDashboards(dashboards);
        assertTrue(queries.size() >= 20, "the dashboards hold the queries: " + queries);

        await("every service scraped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode targets = get("/api/v1/targets").path("data").path("activeTargets");
            assertEquals(4, targets.size(), targets.toString());
            targets.forEach(t -> assertEquals("up", t.path("health").asText(), t.toString()));
        });
        for (PromQueries.Query query : queries) {
            JsonNode answer = query(query);
            assertEquals("success", answer.path("status").asText(), query + " -> " + answer);
        }
        makeCalls();

        // counters and histograms appear at the next scrape and rates need two samples: let scrapes settle
        await("every dashboard query answers with data").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    for (PromQueries.Query query : queries) {
                        if (query(query).path("data").path("result").isEmpty()) {
                            empty.add(query.toString());
                        }
                    }
                    assertTrue(empty.isEmpty(), "queries without data:\n  " + String.join("\n  ", empty));
                });
        for (PromQueries.LabelValues variable : PromQueries.variablesOf(dashboards)) {
            JsonNode values = get("/api/v1/label/" + variable.label() + "/values?match[]="
                    + URLEncoder.encode(variable.metric(), StandardCharsets.UTF_8)).path("data");
            assertFalse(values.isEmpty(), variable + " lists no values");
        }
        JsonNode functions = get("/api/v1/label/function/values?match[]=skiff_gateway_invocations_total").path("data");
        assertTrue(functions.toString().contains("\"obs-failing\"") && functions.toString().contains("\"obs-hello\""), functions.toString());
        JsonNode nodes = get("/api/v1/label/node/values?match[]=skiff_agent_instances").path("data");
        assertEquals("[\"node-1\"]", nodes.toString(), "instances per node are labelled with the agent's node id");
    }

    /** Warm and cold calls, a failing function, and an instance left idle until the agent kills it. */
    private static void makeCalls() throws IOException {
        api.deployExec("obs-hello", api.script("obs-hello.sh", "cat"), "");
        assertEquals("cold", api.invoke("obs-hello", "one").then().statusCode(200).extract().header("X-Skiff-Start"));
        for (int i = 0; i < 5; i++) {
            api.invoke("obs-hello", "again " + i).then().statusCode(200);
        }
        api.deployExec("obs-failing", api.script("obs-failing.sh", "echo broken >&2; exit 3"), "");
        for (int i = 0; i < 3; i++) {
            api.invoke("obs-failing", "x").then().statusCode(502);
        }
        api.deployExec("obs-idle", api.script("obs-idle.sh", "cat"), ",\"idleTimeoutSeconds\":1");
        api.invoke("obs-idle", "once").then().statusCode(200);
        await("idle instance killed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.instancesOf("obs-idle").isEmpty());
    }

    /**
     * deploy/prometheus/prometheus.yml with each job's target moved to where the suite runs and
     * a 1 s scrape interval; every service must have its job there.
     */
    private static JsonNode scrapeConfigForTheSuite() throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(DeployManifestsTest.DEPLOY.resolve("prometheus/prometheus.yml").toFile());
        ObjectNode global = (ObjectNode) config.path("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        Map<String, Integer> ports = Map.of("gateway-service", skiff.gatewayPort, "scheduler-service", skiff.schedulerPort,
                "function-store", skiff.storePort, "node-agent", skiff.agentPort);
        List<String> jobs = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            Integer port = ports.get(name);
            if (port == null) {
                fail("deploy/prometheus/prometheus.yml scrapes " + name + ", which is no Skiff service");
            }
            jobs.add(name);
            for (JsonNode group : job.path("static_configs")) {
                ArrayNode targets = ((ObjectNode) group).putArray("targets");
                targets.add("127.0.0.1:" + port);
            }
        }
        assertEquals(ports.keySet().stream().sorted().toList(), jobs.stream().sorted().toList(),
                "deploy/prometheus/prometheus.yml scrapes every service once");
        return config;
    }

    private static JsonNode query(PromQueries.Query query) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(query.promql(), StandardCharsets.UTF_8));
    }

    /** Prometheus' answer; not an assertion failure when it refuses, so waiting stops at once on a bad query. */
    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + path + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static int freePort() {
        return SkiffProcesses.freePort();
    }
}
