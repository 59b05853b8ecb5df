package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many nodes on one machine: gateway, scheduler, store and three node agents as processes, own
 * ports and data. Steady streams of calls while an agent is killed with SIGKILL and restarted,
 * and while the scheduler is restarted.
 */
class MultiNodeIT {
    private static final List<String> FUNCTIONS = List.of("alpha", "beta", "gamma");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static SkiffProcesses skiff;
    private static SkiffApi api;

    @BeforeAll
    static void start() throws IOException {
        skiff = new SkiffProcesses("multinode").start(3);
        api = new SkiffApi(skiff);
        for (String function : FUNCTIONS) {
            api.deployExec(function, api.script(function + ".sh", "cat"), ",\"limits\":{\"cpu\":\"100m\"}");
            api.invoke(function, "warm").then().statusCode(200);
        }
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    /** One call of the stream: when it started (ms since the stream began), status, serving node. */
    private record Call(long startedAt, int status, String node, String body, String expected) {
    }

    /** Calls the functions round-robin from {@code workers} threads until stopped. */
    private static final class Stream implements AutoCloseable {
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final long begin = System.nanoTime();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool;

        Stream(int workers) {
            pool = Executors.newFixedThreadPool(workers);
            AtomicInteger sequence = new AtomicInteger();
            for (int w = 0; w < workers; w++) {
                pool.execute(() -> {
                    while (running.get()) {
                        int n = sequence.incrementAndGet();
                        String function = FUNCTIONS.get(n % FUNCTIONS.size());
                        long startedAt = now();
                        try {
                            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(skiff.gatewayUrl() + "/function/" + function))
                                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("c" + n)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            calls.add(new Call(startedAt, r.statusCode(), r.headers().firstValue("X-Skiff-Node").orElse(""),
                                    r.body(), "c" + n));
                        } catch (IOException e) {
                            calls.add(new Call(startedAt, -1, "", e.toString(), "c" + n));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
        }

        long now() {
            return (System.nanoTime() - begin) / 1_000_000;
        }

        List<Call> startedAfter(long at) {
            synchronized (calls) {
                return calls.stream().filter(c -> c.startedAt() >= at).toList();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(40, TimeUnit.SECONDS);
        }
    }

    private static String nodesView() {
        return SkiffProcesses.internal().when().get("http://127.0.0.1:" + skiff.schedulerPort + "/v1/nodes").then().statusCode(200).extract().asString();
    }

    @Test
    void aKilledAgentLosesOnlyItsInFlightCallsAndRejoinsAfterRestart() throws Exception {
        Set<String> servingBefore = new HashSet<>();
        long killedAt;
        Stream stream = new Stream(4);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.calls.size() >= 60);
            stream.calls.forEach(c -> servingBefore.add(c.node()));
            String victim = servingBefore.contains("node-2") ? "node-2" : servingBefore.iterator().next();
            int n = Integer.parseInt(victim.substring("node-".length()));
            skiff.kill(SkiffProcesses.agent(n));
            killedAt = stream.now();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.startedAfter(killedAt).size() >= 120);
            stream.close();

            List<Call> later = stream.startedAfter(killedAt);
            for (Call call : later) {
                assertEquals(200, call.status(), "a call after the kill failed: " + call);
                assertEquals(call.expected(), call.body());
                assertTrue(!call.node().equals(victim), "nothing goes to the dead node: " + call);
            }
            stream.calls.stream().filter(c -> c.status() != 200)
                    .forEach(c -> assertTrue(c.status() == 502 || c.status() == 503, "in flight on the dead node: " + c));

            await("dead node marked down").atMost(Duration.ofSeconds(15))
                    .until(() -> nodesView().contains("\"nodeId\":\"" + victim + "\"") && nodesView().split("\"up\":true", -1).length - 1 == 2);

            skiff.restart(SkiffProcesses.agent(n));
            await("node rejoined").atMost(Duration.ofSeconds(20)).until(() -> nodesView().split("\"up\":true", -1).length - 1 == 3);
            AtomicInteger fresh = new AtomicInteger();
            await("the rejoined node takes new instances").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        String function = "delta-" + fresh.incrementAndGet();
                        api.deployExec(function, api.script(function + ".sh", "cat"), ",\"limits\":{\"cpu\":\"100m\"}");
                        api.invoke(function, "new").then().statusCode(200).header("X-Skiff-Node", victim);
                    });
        } finally {
            stream.close();
        }
    }

    @Test
    void minScaleInstancesOfADeadNodeAreBootedOnTheSurvivors() throws Exception {
        api.deployExec("kept", api.script("kept.sh", "cat"), ",\"labels\":{\"com.openfaas.scale.min\":\"1\"},\"limits\":{\"cpu\":\"100m\"}");
        int host = await("minScale instance placed").atMost(Duration.ofSeconds(20)).until(() -> {
            for (int n = 1; n <= 3; n++) {
                if (instancesOn(n, "kept") > 0) {
                    return n;
                }
            }
            return 0;
        }, h -> h > 0);

        skiff.kill(SkiffProcesses.agent(host));
        await("kept booted on a survivor without any call").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    int survivors = 0;
                    for (int n = 1; n <= 3; n++) {
                        survivors += n == host ? 0 : instancesOn(n, "kept");
                    }
                    return survivors >= 1;
                });
        skiff.restart(SkiffProcesses.agent(host));
        await("node rejoined").atMost(Duration.ofSeconds(20)).until(() -> nodesView().split("\"up\":true", -1).length - 1 == 3);
        api.invoke("kept", "still here").then().statusCode(200);
    }

    private static int instancesOn(int agent, String function) {
        return SkiffProcesses.internal().when().get(skiff.agentUrl(agent) + "/v1/instances").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.function == '" + function + "' }").size();
    }

    @Test
    void warmCallsKeepSucceedingWhileTheSchedulerRestarts() throws Exception {
        try (Stream stream = new Stream(3)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.calls.size() >= 30);
            skiff.kill("scheduler-service");
            long down = stream.now();
            skiff.restart("scheduler-service");
            await("view rebuilt from heartbeats").atMost(Duration.ofSeconds(20))
                    .until(() -> nodesView().split("\"up\":true", -1).length - 1 == 3);
            long up = stream.now();
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.startedAfter(up).size() >= 30);
            stream.close();
            List<Call> during = stream.startedAfter(down);
            assertTrue(during.size() >= 30);
            during.forEach(c -> assertEquals(200, c.status(), "warm calls need no scheduler: " + c));
            SkiffProcesses.internal().when().get("http://127.0.0.1:" + skiff.schedulerPort + "/v1/functions").then().statusCode(200)
                    .body("function", org.hamcrest.Matchers.hasItems("alpha", "beta", "gamma"));
        }
    }
}
