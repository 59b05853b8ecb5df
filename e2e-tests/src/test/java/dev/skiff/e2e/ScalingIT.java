package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node agent under load and bursts, warm pools kept and pre-booted, metering, and an agent
 * killed and restarted: against the four packaged services as processes.
 */
class ScalingIT {
    private static SkiffProcesses skiff;
    private static SkiffApi api;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        skiff = new SkiffProcesses("scaling").start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    /** Sends calls with at most {@code concurrency} in flight; returns each call's status and body, by index. */
    private static List<HttpResponse<String>> callConcurrently(String function, int calls, int concurrency, String prefix)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(skiff.gatewayUrl() + "/function/" + function))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(prefix + i)).build();
            answers.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release()));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /** Watches the agent's instance count of a function until stopped; returns the highest seen. */
    private static CompletableFuture<Integer> watchInstances(String function, AtomicBoolean done) {
        return CompletableFuture.supplyAsync(() -> {
            int max = 0;
            while (!done.get()) {
                max = Math.max(max, api.instancesOf(function).size());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return max;
        });
    }

    @Test
    void twoThousandCallsAtConcurrencyFiftyAreEachAnsweredOnceWithinMaxScale() throws Exception {
        Path log = skiff.work.resolve("load-calls.log");
        api.deployExec("load", api.script("load.sh", "id=$(cat); echo \"$id\" >> \"$CALL_LOG\"; printf '%s' \"$id\""),
                ",\"labels\":{\"com.openfaas.scale.max\":\"8\"},\"envVars\":{\"CALL_LOG\":\"" + log + "\"}");
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> maxInstances = watchInstances("load", done);

        List<HttpResponse<String>> answers = callConcurrently("load", 2000, 50, "call-");
        done.set(true);

        for (int i = 0; i < answers.size(); i++) {
            assertEquals(200, answers.get(i).statusCode(), "call " + i + ": " + answers.get(i).body());
            assertEquals("call-" + i, answers.get(i).body(), "each call gets its own answer");
        }
        List<String> ran = Files.readAllLines(log);
        assertEquals(2000, ran.size(), "every call ran once, none twice");
        assertEquals(2000, new HashSet<>(ran).size());
        assertTrue(maxInstances.get() <= 8, "instances never exceed maxScale: saw " + maxInstances.get());
        assertTrue(maxInstances.get() > 1, "the load needed more than one instance");

        JsonPath stats = SkiffProcesses.internal().when().get(skiff.agentUrl() + "/v1/stats").then().statusCode(200).extract().jsonPath();
        Map<String, Object> load = stats.getMap("find { it.function == 'load' }");
        assertEquals(2000, ((Number) ((Map<?, ?>) load.get("execution")).get("count")).intValue());
        assertTrue(((Number) ((Map<?, ?>) load.get("execution")).get("p95")).doubleValue() > 0);
        assertTrue(((Number) ((Map<?, ?>) load.get("init")).get("count")).intValue() >= 1);
        assertEquals(2000, ((Number) load.get("coldStarts")).intValue() + ((Number) load.get("warmStarts")).intValue());
        await("usage metered").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Object> now = SkiffProcesses.internal().when().get(skiff.agentUrl() + "/v1/stats").then().extract().jsonPath()
                    .getMap("find { it.function == 'load' }");
            assertTrue(((Number) now.get("cpuSeconds")).doubleValue() > 0, "CPU seconds are charged");
            assertTrue(((Number) now.get("memoryByteSeconds")).doubleValue() > 0, "memory-byte-seconds are charged");
        });
    }

    @Test
    void twentySimultaneousColdCallsBootInstancesInParallel() throws Exception {
        api.deployExec("burst", api.script("burst.sh", "sleep 0.3; cat"), "");
        List<HttpResponse<String>> answers = callConcurrently("burst", 20, 20, "b");
        Set<String> instances = new HashSet<>();
        int cold = 0;
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(200, answers.get(i).statusCode(), answers.get(i).body());
            assertEquals("b" + i, answers.get(i).body());
            instances.add(answers.get(i).headers().firstValue("X-Skiff-Instance").orElseThrow());
            cold += answers.get(i).headers().firstValue("X-Skiff-Start").orElseThrow().equals("cold") ? 1 : 0;
        }
        assertTrue(instances.size() > 1, "instances booted in parallel, not one after another: " + instances.size());
        assertTrue(cold > 1, "the burst hit cold starts: " + cold);
        assertTrue(api.instancesOf("burst").size() <= 20, "maxScale (default 20) holds");
    }

    @Test
    void minScaleIsWarmWithoutACallAndScaleFunctionPreBoots() throws IOException {
        api.deployExec("warmed", api.script("warmed.sh", "cat"), ",\"labels\":{\"com.openfaas.scale.min\":\"2\"}");
        await("minScale instances ready").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.instancesOf("warmed").stream().filter(i -> "READY".equals(i.get("state"))).count() == 2);

        given().contentType(ContentType.JSON).body("{\"serviceName\":\"warmed\",\"replicas\":4}")
                .when().post(skiff.gatewayUrl() + "/system/scale-function/warmed")
                .then().statusCode(202).body("replicas", equalTo(4));
        await("pre-booted instances ready").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.instancesOf("warmed").stream().filter(i -> "READY".equals(i.get("state"))).count() == 4);
        api.invoke("warmed", "hi").then().statusCode(200).header("X-Skiff-Start", "warm");
    }

    @Test
    void anAgentKilledWithSigkillLeaksNoInstanceAndServesAgainAfterRestart() throws Exception {
        api.deployExec("survivor", api.script("survivor.sh", "cat"), ",\"labels\":{\"com.openfaas.scale.min\":\"1\"}");
        api.invoke("survivor", "before").then().statusCode(200);
        List<Long> pids = api.instancesOf("survivor").stream().map(i -> ((Number) i.get("pid")).longValue()).toList();
        assertTrue(!pids.isEmpty());

        skiff.kill("node-agent");
        await("instances die with their agent").atMost(Duration.ofSeconds(10)).until(() ->
                pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        api.invoke("survivor", "while down").then().statusCode(org.hamcrest.Matchers.oneOf(502, 503))
                .contentType("application/problem+json");

        skiff.restart("node-agent");
        AtomicInteger attempts = new AtomicInteger();
        await("served again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            attempts.incrementAndGet();
            api.invoke("survivor", "after").then().statusCode(200).body(equalTo("after"));
        });
    }
}
