package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Async invocation through a real NATS JetStream server: accepted calls are answered on their
 * callback, survive a gateway crash and run once each, are retried only when they never reached
 * the function, and bad requests are refused before anything is queued.
 */
class AsyncIT {
    private static final int WORKERS = 4;
    private static SkiffProcesses skiff;
    private static SkiffApi api;
    private static HttpServer receiver;
    /** Callbacks received, per call id: X-Function-Status and body of each. */
    private static final Map<String, List<String>> callbacks = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("X-Call-Id");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            callbacks.computeIfAbsent(String.valueOf(id), k -> new CopyOnWriteArrayList<>())
                    .add(exchange.getRequestHeaders().getFirst("X-Function-Status") + " "
                            + exchange.getRequestHeaders().getFirst("X-Function-Name") + " " + body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        skiff = new SkiffProcesses("async").withNats().withGatewayProperties(
                "-Dskiff.gateway.async.workers=" + WORKERS,
                "-Dskiff.gateway.async.ack-wait=4s",
                "-Dskiff.gateway.async.max-attempts=3",
                "-Dskiff.gateway.async.initial-backoff=200ms").start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static String callbackUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/done";
    }

    private static String accept(String function, String body) {
        return given().header("X-Callback-Url", callbackUrl()).body(body)
                .when().post(api.gateway() + "/async-function/" + function)
                .then().statusCode(202).header("X-Call-Id", matchesPattern("[0-9a-f-]{36}"))
                .extract().header("X-Call-Id");
    }

    private static JsonPath status(String id) {
        return given().when().get(api.gateway() + "/system/async-calls/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Runs of the call whose body is {@code body}, as the function logged them (one line per run). */
    private static int runs(Path dir, String body) throws IOException {
        Path log = dir.resolve(body);
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void acceptedCallsSurviveAGatewayCrashAndEachRunsOnceAndIsAnsweredOnItsCallback() throws Exception {
        Path runs = Files.createDirectories(skiff.work.resolve("slow-echo-runs"));
        api.deployExec("slow-echo", api.script("slow-echo.sh", "body=$(cat); echo run >> \"$RUNS/$body\"; sleep 0.3; printf %s \"$body\""),
                ",\"idleTimeoutSeconds\":300,\"envVars\":{\"RUNS\":\"" + runs + "\"}");
        int sent = 40;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            ids.add(accept("slow-echo", "call-" + i));
        }
        // 40 calls of 0.3 s on 4 workers take seconds: the crash finds calls running and calls waiting
        skiff.kill("gateway-service");
        int answeredBeforeRestart = (int) ids.stream().filter(callbacks::containsKey).count();
        int ranBeforeRestart = 0;
        for (int i = 0; i < sent; i++) {
            ranBeforeRestart += runs(runs, "call-" + i) > 0 ? 1 : 0;
        }
        skiff.restart("gateway-service");

        await("every accepted call answered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> ids.stream().allMatch(callbacks::containsKey));
        // a call whose answer went out before the crash but whose status did not is delivered again:
        // once every status says completed, no delivery is left that could run a call again
        await("every call recorded as completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> ids.stream().allMatch(id -> "completed".equals(status(id).getString("state"))));
        int lost = 0;
        int duplicates = 0;
        List<String> ranTwice = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            List<String> got = callbacks.getOrDefault(ids.get(i), List.of());
            lost += got.isEmpty() ? 1 : 0;
            duplicates += Math.max(0, got.size() - 1);
            for (String callback : got) {
                assertEquals("200 slow-echo call-" + i, callback, "the callback carries the call's own answer");
            }
            if (runs(runs, "call-" + i) != 1) {
                ranTwice.add("call-" + i + " ran " + runs(runs, "call-" + i) + " times");
            }
        }
        System.out.printf("async crash test: sent %d, accepted %d, ran before the crash %d, answered before it %d, answered %d, lost %d,"
                + " answered twice %d, run other than once %d%n", sent, ids.size(), ranBeforeRestart, answeredBeforeRestart,
                ids.size() - lost, lost, duplicates, ranTwice.size());
        assertEquals(0, lost, "no accepted call is lost");
        assertEquals(List.of(), ranTwice, "each accepted call runs exactly once, the crash notwithstanding");
        assertTrue(duplicates <= WORKERS, "only answers of calls running when the gateway died may be posted twice: " + duplicates);
        JsonPath last = status(ids.get(sent - 1));
        assertEquals("completed", last.getString("state"));
        assertEquals(200, last.getInt("status"));
        assertEquals(204, last.getInt("callbackStatus"));
        assertEquals("node-1", last.getString("node"));
    }

    @Test
    void aCallThatNeverReachesItsFunctionIsRetriedThenRecordedAsFailed() throws IOException {
        // a java function whose handler class does not exist: no instance of it can start
        String image = api.upload("no-start", skiff.root.resolve("examples/java-hello/target/java-hello.jar"));
        given().contentType("application/json")
                .body("{\"service\":\"no-start\",\"image\":\"%s\",\"runtime\":\"java\",\"handler\":\"dev.skiff.examples.Missing\"}".formatted(image))
                .when().post(api.gateway() + "/system/functions").then().statusCode(202);
        String id = accept("no-start", "anyone?");

        await("failed after its attempts").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> "failed".equals(status(id).getString("state")));
        JsonPath failed = status(id);
        assertEquals(3, failed.getInt("attempts"), "max-attempts runs, no more");
        assertEquals(502, failed.getInt("status"));
        assertTrue(failed.getString("error").startsWith("Instance failed to start"), failed.getString("error"));
        await("failure posted to the callback").atMost(Duration.ofSeconds(10)).until(() -> callbacks.containsKey(id));
        assertTrue(callbacks.get(id).get(0).startsWith("502 no-start "), callbacks.get(id).toString());
    }

    @Test
    void aFunctionThatFailsIsAnsweredOnceNotRetried() throws IOException {
        api.deployExec("fails", api.script("fails.sh", "echo broken >&2; exit 3"), "");
        String id = accept("fails", "x");
        await("completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> "completed".equals(status(id).getString("state")));
        JsonPath done = status(id);
        assertEquals(1, done.getInt("attempts"), "the function ran: running it again could repeat its effects");
        assertEquals(502, done.getInt("status"));
        await("answer posted").atMost(Duration.ofSeconds(10)).until(() -> callbacks.containsKey(id));
        assertTrue(callbacks.get(id).get(0).startsWith("502 fails ") && callbacks.get(id).get(0).contains("exit status 3"),
                callbacks.get(id).toString());
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsQueued() throws IOException {
        api.deployExec("echo-async", api.script("echo-async.sh", "cat"), "");
        given().body("x").when().post(api.gateway() + "/async-function/nobody-here")
                .then().statusCode(404).contentType("application/problem+json").body("title", equalTo("Function not found"));
        given().header("X-Callback-Url", "file:///etc/passwd").body("x").when().post(api.gateway() + "/async-function/echo-async")
                .then().statusCode(400).body("detail", containsString("X-Callback-Url must be an absolute http or https URL"));
        given().header("X-Callback-Url", "http://user:secret@127.0.0.1/").body("x").when().post(api.gateway() + "/async-function/echo-async")
                .then().statusCode(400).body("detail", containsString("must not carry credentials"));
        given().body(new byte[1_000_001]).when().post(api.gateway() + "/async-function/echo-async")
                .then().statusCode(413).body("detail", containsString("at most 1000000 bytes"));
        given().when().get(api.gateway() + "/system/async-calls/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404).body("title", equalTo("Call not found"));
        given().when().get(api.gateway() + "/system/async-calls/not-an-id").then().statusCode(400);

        // and a good one without a callback still runs: its status says so
        String id = given().body("plain").when().post(api.gateway() + "/async-function/echo-async")
                .then().statusCode(202).body("callId", matchesPattern("[0-9a-f-]{36}")).extract().header("X-Call-Id");
        await("completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> "completed".equals(status(id).getString("state")));
        assertEquals(0, status(id).getInt("callbackStatus"));
    }
}
