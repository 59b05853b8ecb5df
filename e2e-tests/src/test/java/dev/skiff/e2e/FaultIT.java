package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults under load: with two node agents and NATS, a bounded load of sync and async calls runs
 * while one part of the platform at a time is killed with SIGKILL (an instance, an agent, the
 * scheduler, the store, the gateway) and, but for the instance, restarted. Every call ends in one
 * of: answered 2xx, a clear 5xx (502/503/504 with a problem+json body), cut by the gateway's own
 * death (a TCP-level failure while the gateway is down), or other (a hang, a reset from a live
 * gateway, a bodyless or unexpected status, a wrong answer), which must not happen. Every
 * accepted async call must reach its callback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIT {
    /** {@code steady} answers at once; {@code work} takes a moment, so kills find calls inside it. */
    private static final List<String> FUNCTIONS = List.of("steady", "work");
    private static final int SYNC_WORKERS = 3;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    /** Pause between one worker's calls: a bounded load that leaves the two cores room for restarts. */
    private static final Duration PACE = Duration.ofMillis(25);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    /** How long after a node's death a call may still be put on a connection to it, before the gateway sees it close. */
    private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static SkiffProcesses skiff;
    private static SkiffApi api;
    private static HttpServer receiver;
    /** Callbacks received: call id -> X-Function-Status of each. */
    private static final Map<String, List<String>> callbacks = new ConcurrentHashMap<>();
    /** The count line of each scenario, in order, printed as one table at the end. */
    private static final Map<String, Tally> table = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Set while the gateway is dead: a TCP-level failure then is the gateway's death, not a platform error. */
    private static final AtomicBoolean gatewayDown = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext("/", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("X-Call-Id");
            exchange.getRequestBody().readAllBytes();
            callbacks.computeIfAbsent(String.valueOf(id), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(exchange.getRequestHeaders().getFirst("X-Function-Status"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        skiff = new SkiffProcesses("fault").withNats().withGatewayProperties(
                "-Dskiff.gateway.async.workers=2",
                "-Dskiff.gateway.async.ack-wait=10s",
                "-Dskiff.gateway.async.max-attempts=5",
                "-Dskiff.gateway.async.initial-backoff=200ms",
                "-Dskiff.gateway.async.max-backoff=2s").start(2);
        api = new SkiffApi(skiff);
        api.deployExec("steady", api.script("steady.sh", "cat"), settings());
        api.deployExec("work", api.script("work.sh", "sleep 0.2; cat"), settings());
        for (int n = 1; n <= 2; n++) {
            for (String function : FUNCTIONS) {
                warmOn(n, function);
            }
        }
        for (String function : FUNCTIONS) {
            api.invoke(function, "warm").then().statusCode(200).body(equalTo("warm"));
        }
    }

    private static String settings() {
        return ",\"idleTimeoutSeconds\":600,\"timeoutSeconds\":10,\"labels\":{\"com.openfaas.scale.max\":\"4\"},"
                + "\"limits\":{\"cpu\":\"100m\"}";
    }

    @AfterAll
    static void stop() {
        StringBuilder out = new StringBuilder("\nFaultIT counts per scenario\n");
        out.append(Tally.header()).append('\n');
        table.forEach((name, t) -> out.append(t.line(name)).append('\n'));
        System.out.println(out);
        if (skiff != null) {
            skiff.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    @Order(1)
    void aKilledInstanceCostsOnlyItsCallsAndTheFunctionKeepsAnswering() throws Exception {
        Tally tally = new Tally();
        try (Load load = new Load(tally)) {
            load.awaitAnswered(20);
            // an instance in the middle of a call, so that the kill costs that call
            Map<String, Object> victim = await("an instance of work busy").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> SkiffProcesses.internal().when().get(skiff.agentUrl(1) + "/v1/instances").then().statusCode(200)
                            .extract().jsonPath().getMap("find { it.function == 'work' && it.state == 'BUSY' }"), v -> v != null);
            ProcessHandle.of(((Number) victim.get("pid")).longValue()).ifPresent(ProcessHandle::destroyForcibly);
            await("the agent notices its instance died").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !SkiffProcesses.body(skiff.agentUrl(1) + "/v1/instances").contains("\"id\":\"" + victim.get("id") + "\""));
            long after = load.now();
            everyFunctionAnswers();
            load.awaitAnsweredAfter(after, 20);
            load.stop();
            load.startedAfter(after).forEach(c -> assertEquals(Kind.OK, c.kind(), "after the instance was replaced: " + c));
        }
        finish("(a) instance killed", tally);
        assertTrue(tally.sync.clear.get() + tally.answeredFailed <= 1, "only the call inside the instance (concurrency 1) failed");
    }

    @Test
    @Order(2)
    void aKilledAgentCostsOnlyItsCallsInFlightAndRejoinsAfterRestart() throws Exception {
        Tally tally = new Tally();
        try (Load load = new Load(tally)) {
            await("both nodes serve").atMost(Duration.ofSeconds(20))
                    .until(() -> load.nodesServing().containsAll(Set.of("node-1", "node-2")));
            skiff.kill(SkiffProcesses.agent(2));
            long killed = load.now();
            await("node-2 marked down").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> upNodes() == 1);
            load.awaitAnsweredAfter(killed, 40);
            List<Call> whileDown = load.startedAfter(killed);
            // the gateway learns of the death when its connections to node-2 close: a call it put on
            // one of them just before is in flight on the dead node (a clear 502, never run twice)
            for (Call c : whileDown) {
                if (c.kind() != Kind.OK) {
                    assertTrue(c.kind() == Kind.CLEAR_5XX && c.detail().contains("node node-2 did not answer")
                            && c.startedAt() < killed + IN_FLIGHT_GRACE.toMillis(), "warm calls through the survivor succeed: " + c);
                }
            }
            assertTrue(whileDown.stream().filter(c -> c.kind() != Kind.OK).count() <= SYNC_WORKERS + 1,
                    "at most one call per client in flight on the dead node");
            assertTrue(whileDown.stream().noneMatch(c -> "node-2".equals(c.node())), "nothing is served by the dead node");

            skiff.restart(SkiffProcesses.agent(2));
            await("node-2 registered again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> upNodes() == 2);
            everyFunctionAnswers();
            long rejoined = load.now();
            for (String function : FUNCTIONS) {
                warmOn(2, function);
            }
            await("the gateway routes to the restarted node again").atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.startedAfter(rejoined).stream().anyMatch(c -> "node-2".equals(c.node())));
            load.stop();
            load.startedAfter(rejoined).forEach(c -> assertEquals(Kind.OK, c.kind(), "after the rejoin: " + c));
        }
        finish("(b) node agent killed", tally);
    }

    @Test
    @Order(3)
    void warmCallsNeedNoSchedulerAndColdOnesAreRefusedClearlyUntilItIsBack() throws Exception {
        api.deployExec("newcomer", api.script("newcomer.sh", "cat"), "");
        Tally tally = new Tally();
        try (Load load = new Load(tally)) {
            load.awaitAnswered(20);
            skiff.kill("scheduler-service");
            long down = load.now();
            load.awaitAnsweredAfter(down, 40);
            // a function with no instance anywhere needs a placement: refused clearly, not hung
            given().body("x").when().post(api.gateway() + "/function/newcomer")
                    .then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
            long restarting = load.now();
            skiff.restart("scheduler-service");
            await("the view rebuilt from heartbeats").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> upNodes() == 2);
            load.stop();
            List<Call> whileDown = load.startedBetween(down, restarting);
            assertTrue(whileDown.size() >= 40, "calls ran while the scheduler was down: " + whileDown.size());
            whileDown.forEach(c -> assertEquals(Kind.OK, c.kind(), "warm calls need no scheduler: " + c));
        }
        awaitAnswers("newcomer");
        everyFunctionAnswers();
        finish("(c) scheduler killed", tally);
    }

    @Test
    @Order(4)
    void noStoredFunctionIsLostWhenTheStoreDiesAndWarmCallsNeedNoStore() throws Exception {
        Map<String, List<Object>> versionsBefore = new LinkedHashMap<>();
        for (String function : FUNCTIONS) {
            versionsBefore.put(function, versions(function));
        }
        Tally tally = new Tally();
        try (Load load = new Load(tally)) {
            load.awaitAnswered(20);
            skiff.kill("function-store");
            long down = load.now();
            load.awaitAnsweredAfter(down, 40);
            // what needs the store is refused clearly
            given().contentType(ContentType.JSON).body(deployment("steady", "\"V\":\"during\"")).when().put(api.gateway() + "/system/functions")
                    .then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
            given().when().get(api.gateway() + "/system/function/steady/versions")
                    .then().statusCode(503).contentType("application/problem+json");
            given().when().get(api.gateway() + "/system/functions").then().statusCode(200)
                    .body("name", hasItems("steady", "work"));
            long restarting = load.now();
            skiff.restart("function-store");
            load.stop();
            List<Call> whileDown = load.startedBetween(down, restarting);
            assertTrue(whileDown.size() >= 40, "calls ran while the store was down: " + whileDown.size());
            whileDown.forEach(c -> assertEquals(Kind.OK, c.kind(), "warm calls need no store: " + c));
        }
        given().when().get("http://127.0.0.1:" + skiff.storePort + "/v2/_catalog").then().statusCode(200)
                .body("repositories", hasItems("functions/steady", "functions/work", "code/steady", "code/work"));
        for (String function : FUNCTIONS) {
            assertEquals(versionsBefore.get(function), versions(function), "every version of " + function + " is still there");
        }
        // deploys and rollbacks work on what survived
        given().contentType(ContentType.JSON).body(deployment("steady", "\"V\":\"after\"")).when().put(api.gateway() + "/system/functions")
                .then().statusCode(202);
        assertEquals(versionsBefore.get("steady").size() + 1, versions("steady").size());
        awaitAnswers("steady");
        given().contentType(ContentType.JSON).body("{}").when().post(api.gateway() + "/system/function/steady/rollback")
                .then().statusCode(202);
        given().when().get(api.gateway() + "/system/function/steady").then().statusCode(200)
                .body("digest", equalTo(versionsBefore.get("steady").get(0)));
        everyFunctionAnswers();
        finish("(d) function store killed", tally);
    }

    @Test
    @Order(5)
    void aKilledGatewayCutsOnlyItsOwnConnectionsAndLosesNoAcceptedAsyncCall() throws Exception {
        Tally tally = new Tally();
        try (Load load = new Load(tally)) {
            load.awaitAnswered(20);
            await("async calls in flight").atMost(Duration.ofSeconds(20))
                    .until(() -> tally.accepted.size() > tally.answered(callbacks));
            gatewayDown.set(true);
            skiff.kill("gateway-service");
            skiff.restart("gateway-service");
            gatewayDown.set(false);
            long up = load.now();
            everyFunctionAnswers();
            load.awaitAnsweredAfter(up, 20);
            load.stop();
            load.startedAfter(up).forEach(c -> assertEquals(Kind.OK, c.kind(), "after the gateway restart: " + c));
            // calls that reach the new gateway before it is ready may be refused while its catalog loads, nothing else
            load.startedAfter(0).stream().filter(c -> c.kind() == Kind.CLEAR_5XX).forEach(c -> assertTrue(
                    c.detail().contains("still loading from the function store"), "a refusal of the restarted gateway: " + c));
        }
        finish("(e) gateway killed", tally);
    }

    @Test
    @Order(6)
    void callersThatHangUpMidCallHoldNoInstanceSlotAndNoRoutingShare() throws Exception {
        api.deployExec("hangup", api.script("hangup.sh", "sleep 1; cat"), settings());
        warmOn(1, "hangup");
        String digest = given().when().get(api.gateway() + "/system/function/hangup").then().extract().path("digest");
        awaitAnswers("hangup");

        // the gateway dies (or gives up) mid-call: the agent's caller is gone, the call in its instance is not
        hangUpMidCall(Integer.parseInt(skiff.agentUrl(1).replaceAll(".*:", "")), "/v1/functions/hangup/invoke",
                "X-Skiff-Function-Digest: " + digest + "\r\nAuthorization: Bearer " + SkiffProcesses.INTERNAL_TOKEN + "\r\n");
        awaitSlotFreed();
        // an application hangs up on the gateway mid-call
        hangUpMidCall(skiff.gatewayPort, "/function/hangup", "");
        awaitSlotFreed();
        double placed = placements();
        for (int i = 0; i < 3; i++) {
            given().body("again" + i).when().post(api.gateway() + "/function/hangup").then().statusCode(200)
                    .body(equalTo("again" + i)).header("X-Skiff-Start", "warm");
        }
        assertEquals(placed, placements(), "warm calls to a free slot never ask the scheduler");
    }

    /** Sends a call over a raw connection, waits until it runs in an instance, then resets the connection. */
    private static void hangUpMidCall(int port, String path, String headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n" + headers
                    + "\r\nbye!").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            await("the call runs in the instance").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> activeCalls("hangup") == 1);
            socket.setSoLinger(true, 0);
        }
    }

    /** The call the caller hung up on ends in its instance (after its second of work), and so does its hold on the slot. */
    private static void awaitSlotFreed() {
        await("the slot is free again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> activeCalls("hangup") == 0);
    }

    private static int activeCalls(String function) {
        List<Integer> active = SkiffProcesses.internal().when().get(skiff.agentUrl(1) + "/v1/instances").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.function == '" + function + "' }.activeCalls");
        return active.stream().mapToInt(Integer::intValue).sum();
    }

    /** Placements the scheduler made so far. */
    private static double placements() {
        return SkiffProcesses.body("http://127.0.0.1:" + skiff.schedulerPort + "/q/metrics").lines()
                .filter(l -> l.startsWith("skiff_scheduler_placements_total") && l.contains("outcome=\"placed\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    // ---------------------------------------------------------------- checks shared by the scenarios

    /** Waits for every accepted async call to reach its callback, records the counts, asserts nothing went wrong. */
    private static void finish(String scenario, Tally tally) {
        table.put(scenario, tally);
        try {
            await(scenario + ": every accepted async call answered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> tally.answered(callbacks) == tally.accepted.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the counts say how many were lost; the assertion below fails with them
        }
        tally.settle(callbacks);
        System.out.println(Tally.header() + "\n" + tally.line(scenario));
        assertEquals(List.of(), tally.others, scenario + ": calls that ended neither answered nor with a clear 5xx");
        assertEquals(0, tally.lost, scenario + ": accepted async calls lost");
        assertTrue(tally.sync.ok.get() > 0 && !tally.accepted.isEmpty(), scenario + ": the load ran");
    }

    /** After a restart, without manual steps: every function answers 200 within {@link #RECOVERY}. */
    private static void everyFunctionAnswers() {
        for (String function : FUNCTIONS) {
            awaitAnswers(function);
        }
    }

    private static void awaitAnswers(String function) {
        await(function + " answers").atMost(RECOVERY).pollInterval(Duration.ofMillis(250))
                .until(() -> SkiffProcesses.status(api.gateway() + "/function/" + function) == 200);
    }

    /** Boots one instance of a function on agent {@code n} through the agent's own API, so both nodes hold both functions. */
    private static void warmOn(int n, String function) {
        String digest = given().when().get(api.gateway() + "/system/function/" + function).then().statusCode(200)
                .extract().path("digest");
        // a command to the agent: it carries the platform's internal token, as the gateway's do
        given().header("X-Skiff-Function-Digest", digest).header("Authorization", "Bearer " + SkiffProcesses.INTERNAL_TOKEN)
                .contentType(ContentType.JSON).body("{\"count\":1}")
                .when().post(skiff.agentUrl(n) + "/v1/functions/" + function + "/instances").then().statusCode(202);
        await(function + " warm on node-" + n).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> SkiffProcesses.internal().when().get(skiff.agentUrl(n) + "/v1/instances").then().extract().jsonPath()
                        .getList("findAll { it.function == '" + function + "' && it.state != 'BOOTING' }").size() >= 1);
    }

    private static int upNodes() {
        return SkiffProcesses.body("http://127.0.0.1:" + skiff.schedulerPort + "/v1/nodes").split("\"up\":true", -1).length - 1;
    }

    private static List<Object> versions(String function) {
        return given().when().get(api.gateway() + "/system/function/" + function + "/versions").then().statusCode(200)
                .extract().jsonPath().getList("digest");
    }

    private static String deployment(String function, String env) {
        return "{\"service\":\"%s\",\"image\":\"code/%s:latest\",\"runtime\":\"exec\",\"handler\":\"%s.sh\",\"envVars\":{%s}%s}"
                .formatted(function, function, function, env, settings());
    }

    // ---------------------------------------------------------------- the load and its counts

    /** How one call ended. */
    enum Kind { OK, CLEAR_5XX, CUT_BY_GATEWAY, OTHER }

    /** One call: when it started (ms since the load began), how it ended, the node that served it. */
    record Call(long startedAt, boolean async, String function, Kind kind, String node, String detail) {
    }

    /** The counts of one scenario: sync calls, async calls (answered 202 = accepted), and accepted calls' callbacks. */
    static final class Tally {
        final Counts sync = new Counts();
        final Counts async = new Counts();
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final List<String> others = Collections.synchronizedList(new ArrayList<>());
        int answered;
        int answeredFailed;
        int lost;

        /** How many calls of one kind ended each way. */
        static final class Counts {
            final AtomicInteger sent = new AtomicInteger();
            final AtomicInteger ok = new AtomicInteger();
            final AtomicInteger clear = new AtomicInteger();
            final AtomicInteger cut = new AtomicInteger();
            final AtomicInteger other = new AtomicInteger();
        }

        void count(Call call) {
            Counts counts = call.async() ? async : sync;
            counts.sent.incrementAndGet();
            switch (call.kind()) {
                case OK -> counts.ok.incrementAndGet();
                case CLEAR_5XX -> counts.clear.incrementAndGet();
                case CUT_BY_GATEWAY -> counts.cut.incrementAndGet();
                case OTHER -> {
                    counts.other.incrementAndGet();
                    others.add(call.toString());
                }
            }
        }

        int answered(Map<String, List<String>> callbacks) {
            return (int) accepted.stream().filter(callbacks::containsKey).count();
        }

        void settle(Map<String, List<String>> callbacks) {
            answered = answered(callbacks);
            answeredFailed = (int) accepted.stream().filter(callbacks::containsKey)
                    .filter(id -> !callbacks.get(id).get(0).startsWith("2")).count();
            lost = accepted.size() - answered;
        }

        static String header() {
            return String.format("%-26s | %-36s | %-36s | %s%n%-26s | %5s %5s %8s %8s %5s | %5s %8s %8s %8s %5s | %8s %6s %4s",
                    "", "sync calls", "async calls", "accepted async calls",
                    "scenario", "sent", "2xx", "clear5xx", "cut-gw", "other", "sent", "accepted", "clear5xx", "cut-gw", "other",
                    "answered", "(5xx)", "lost");
        }

        String line(String name) {
            return String.format("%-26s | %5d %5d %8d %8d %5d | %5d %8d %8d %8d %5d | %8d %6d %4d", name,
                    sync.sent.get(), sync.ok.get(), sync.clear.get(), sync.cut.get(), sync.other.get(),
                    async.sent.get(), async.ok.get(), async.clear.get(), async.cut.get(), async.other.get(),
                    answered, answeredFailed, lost);
        }
    }

    /**
     * A few client threads calling the functions round-robin until stopped: {@value #SYNC_WORKERS}
     * sending sync calls, one sending async calls with a callback; each call with its own timeout,
     * each worker pausing {@link #PACE} between calls.
     */
    private static final class Load implements AutoCloseable {
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        private final long begin = System.nanoTime();
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final ExecutorService pool = Executors.newFixedThreadPool(SYNC_WORKERS + 1);
        private final AtomicInteger sequence = new AtomicInteger();
        private final Tally tally;

        Load(Tally tally) {
            this.tally = tally;
            for (int w = 0; w < SYNC_WORKERS; w++) {
                pool.execute(() -> loop(false));
            }
            pool.execute(() -> loop(true));
        }

        private void loop(boolean async) {
            try {
                do {
                    int n = sequence.incrementAndGet();
                    Call call = send(async, FUNCTIONS.get(n % FUNCTIONS.size()), "c" + n);
                    calls.add(call);
                    tally.count(call);
                } while (!stopped.await(PACE.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Call send(boolean async, String function, String payload) throws InterruptedException {
            long startedAt = now();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.gateway() + (async ? "/async-function/" : "/function/") + function))
                    .timeout(CALL_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(payload));
            if (async) {
                request.header("X-Callback-Url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/done");
            }
            try {
                HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String node = r.headers().firstValue("X-Skiff-Node").orElse(null);
                String detail = r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("-") + " " + r.body();
                if (async && r.statusCode() == 202) {
                    r.headers().firstValue("X-Call-Id").ifPresent(tally.accepted::add);
                    return new Call(startedAt, true, function, Kind.OK, null, detail);
                }
                if (!async && r.statusCode() == 200 && payload.equals(r.body())) {
                    return new Call(startedAt, false, function, Kind.OK, node, detail);
                }
                boolean clear = (r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504)
                        && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                        && r.body().contains("\"status\":" + r.statusCode());
                return new Call(startedAt, async, function, clear ? Kind.CLEAR_5XX : Kind.OTHER, node, detail);
            } catch (HttpTimeoutException e) {
                return new Call(startedAt, async, function, Kind.OTHER, null, "no answer within " + CALL_TIMEOUT + ": " + e);
            } catch (IOException e) {
                return new Call(startedAt, async, function, gatewayDown.get() ? Kind.CUT_BY_GATEWAY : Kind.OTHER, null,
                        "connection failed after " + (now() - startedAt) + " ms: " + e);
            }
        }

        long now() {
            return (System.nanoTime() - begin) / 1_000_000;
        }

        List<Call> startedAfter(long at) {
            return startedBetween(at, Long.MAX_VALUE);
        }

        List<Call> startedBetween(long from, long to) {
            synchronized (calls) {
                return calls.stream().filter(c -> c.startedAt() >= from && c.startedAt() < to).toList();
            }
        }

        Set<String> nodesServing() {
            synchronized (calls) {
                Set<String> nodes = new java.util.HashSet<>();
                calls.stream().filter(c -> c.node() != null).forEach(c -> nodes.add(c.node()));
                return nodes;
            }
        }

        void awaitAnswered(int count) {
            awaitAnsweredAfter(0, count);
        }

        /** Waits until {@code count} sync calls started at or after {@code at} were answered 2xx. */
        void awaitAnsweredAfter(long at, int count) {
            Predicate<Call> answered = c -> !c.async() && c.kind() == Kind.OK;
            await(count + " calls answered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> startedAfter(at).stream().filter(answered).count() >= count);
        }

        /** Stops the workers and waits for their last calls (each bounded by its timeout). */
        void stop() throws InterruptedException {
            stopped.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS), "the load stopped");
        }

        @Override
        public void close() throws InterruptedException {
            if (!pool.isShutdown()) {
                stop();
            }
        }
    }
}
