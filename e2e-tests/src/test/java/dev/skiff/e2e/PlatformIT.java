package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Skiff end to end: the four packaged services as separate processes; functions uploaded,
 * deployed, invoked, listed and removed through the gateway's REST API, as the README shows.
 */
class PlatformIT {
    private static SkiffProcesses skiff;

    @BeforeAll
    static void start() throws IOException {
        skiff = new SkiffProcesses("platform").start();
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    private static String gateway() {
        return skiff.gatewayUrl();
    }

    /** Uploads a file as the code of a function, as the README's curl line does; returns the image. */
    private static String upload(String function, Path file) throws IOException {
        return given().contentType(ContentType.BINARY).body(Files.readAllBytes(file))
                .queryParam("filename", file.getFileName().toString())
                .when().post(gateway() + "/system/code/" + function)
                .then().statusCode(201).body("image", equalTo("code/" + function + ":latest"))
                .extract().path("image");
    }

    private static Path script(String name, String body) throws IOException {
        Path file = skiff.work.resolve("scripts").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        return file;
    }

    private static void deployExec(String function, Path script, String extra) throws IOException {
        String image = upload(function, script);
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"%s\",\"image\":\"%s\",\"runtime\":\"exec\",\"handler\":\"%s\"%s}"
                        .formatted(function, image, script.getFileName(), extra))
                .when().post(gateway() + "/system/functions")
                .then().statusCode(202).body("digest", containsString("sha256:"));
    }

    private static Response invoke(String function, String body) {
        return given().body(body).when().post(gateway() + "/function/" + function);
    }

    private static List<Map<String, Object>> instancesOf(String function) {
        return given().when().get(skiff.agentUrl() + "/v1/instances").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.function == '" + function + "' }");
    }

    @Test
    void execSampleRunsColdThenWarmThenIsKilledWhenIdle() throws IOException {
        deployExec("hello-exec", skiff.root.resolve("examples/exec-hello/handler.sh"), ",\"idleTimeoutSeconds\":2");

        Response cold = invoke("hello-exec", "e2e");
        cold.then().statusCode(200).body(equalTo("Hello from exec, e2e!\n")).header("X-Skiff-Start", "cold");
        Response warm = invoke("hello-exec", "again");
        warm.then().statusCode(200).body(containsString("again")).header("X-Skiff-Start", "warm");
        assertEquals(cold.header("X-Skiff-Instance"), warm.header("X-Skiff-Instance"), "the warm call reuses the instance");

        List<Map<String, Object>> instances = instancesOf("hello-exec");
        assertEquals(1, instances.size());
        assertEquals(2, ((Number) instances.get(0).get("invocations")).intValue());

        await("idle instance killed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> instancesOf("hello-exec").isEmpty());
        long pid = ((Number) instances.get(0).get("pid")).longValue();
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the instance's process is gone");

        Response after = invoke("hello-exec", "back");
        after.then().statusCode(200).header("X-Skiff-Start", "cold");
        assertNotEquals(cold.header("X-Skiff-Instance"), after.header("X-Skiff-Instance"));
    }

    @Test
    void javaSampleAnswers() throws IOException {
        String image = upload("hello-java", skiff.root.resolve("examples/java-hello/target/java-hello.jar"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"hello-java\",\"image\":\"" + image + "\",\"runtime\":\"java\","
                        + "\"handler\":\"dev.skiff.examples.Hello\",\"limits\":{\"memory\":\"128Mi\"}}")
                .when().post(gateway() + "/system/functions").then().statusCode(202);
        invoke("hello-java", "e2e").then().statusCode(200).body(equalTo("Hello, e2e!"));
        invoke("hello-java", "warm").then().statusCode(200).header("X-Skiff-Start", "warm");
    }

    @Test
    void functionsAreListedWithReplicasAndInvocationsThenRemoved() throws IOException {
        deployExec("listed", script("listed.sh", "cat"), "");
        invoke("listed", "one").then().statusCode(200).body(equalTo("one"));
        invoke("listed", "two").then().statusCode(200);

        await("replicas reported").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().when().get(gateway() + "/system/functions").then().statusCode(200)
                        .body("find { it.name == 'listed' }.replicas", equalTo(1))
                        .body("find { it.name == 'listed' }.availableReplicas", equalTo(1))
                        .body("find { it.name == 'listed' }.invocationCount", equalTo(2))
                        .body("find { it.name == 'listed' }.image", equalTo("code/listed:latest")));

        given().contentType(ContentType.JSON).body("{\"functionName\":\"listed\"}")
                .when().delete(gateway() + "/system/functions").then().statusCode(202);
        given().when().get(gateway() + "/system/functions").then().statusCode(200).body("name", not(hasItem("listed")));
        invoke("listed", "gone").then().statusCode(404).contentType("application/problem+json");
        await("instances stopped").atMost(Duration.ofSeconds(10)).until(() -> instancesOf("listed").isEmpty());
        given().contentType(ContentType.JSON).body("{\"functionName\":\"listed\"}")
                .when().delete(gateway() + "/system/functions").then().statusCode(404);
    }

    @Test
    void badDeploymentsAreRefusedAndNothingIsLeftBehind() throws IOException {
        deployExec("dup", script("dup.sh", "cat"), "");
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"dup\",\"image\":\"code/dup:latest\",\"runtime\":\"exec\",\"handler\":\"dup.sh\"}")
                .when().post(gateway() + "/system/functions").then().statusCode(409).body("field", equalTo("service"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"nocode\",\"image\":\"code/nocode:latest\",\"runtime\":\"exec\",\"handler\":\"x.sh\"}")
                .when().post(gateway() + "/system/functions").then().statusCode(400).body("field", equalTo("image"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"wronghandler\",\"image\":\"code/dup:latest\",\"runtime\":\"exec\",\"handler\":\"other.sh\"}")
                .when().post(gateway() + "/system/functions").then().statusCode(400).body("field", equalTo("handler"));
        given().contentType(ContentType.JSON).body("{\"service\":\"nothing\"}")
                .when().put(gateway() + "/system/functions").then().statusCode(400);
        given().when().get(gateway() + "/system/functions").then().statusCode(200)
                .body("name", not(hasItem("nocode"))).body("name", not(hasItem("wronghandler")));
        invoke("never-deployed", "x").then().statusCode(404).body("title", equalTo("Function not found"));
    }

    @Test
    void updateRollsOutANewVersion() throws IOException {
        deployExec("versioned", script("v1.sh", "echo v1"), "");
        invoke("versioned", "").then().statusCode(200).body(equalTo("v1\n"));
        String image = upload("versioned", script("v2.sh", "echo v2"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"versioned\",\"image\":\"" + image + "\",\"runtime\":\"exec\",\"handler\":\"v2.sh\"}")
                .when().put(gateway() + "/system/functions").then().statusCode(202);
        invoke("versioned", "").then().statusCode(200).body(equalTo("v2\n"));
    }

    @Test
    void failingFunctionIsA502AndOthersKeepServing() throws IOException {
        deployExec("fails", script("fails.sh", "echo 'something broke' >&2; exit 3"), "");
        invoke("fails", "x").then().statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("Function failed"))
                .body("detail", containsString("exit status 3"));
        deployExec("healthy", script("healthy.sh", "cat"), "");
        invoke("healthy", "fine").then().statusCode(200).body(equalTo("fine"));
    }

    @Test
    void hangingFunctionIsA504AndTheNextCallGetsAFreshInstance() throws IOException {
        deployExec("hangs", script("hangs.sh", "read input; [ \"$input\" = quick ] && { echo ok; exit 0; }; sleep 60"),
                ",\"timeoutSeconds\":1");
        Response first = invoke("hangs", "quick\n");
        first.then().statusCode(200);
        invoke("hangs", "slow\n").then().statusCode(504).contentType("application/problem+json")
                .body("title", equalTo("Function timed out"));
        Response next = invoke("hangs", "quick\n");
        next.then().statusCode(200).header("X-Skiff-Start", "cold");
        assertNotEquals(first.header("X-Skiff-Instance"), next.header("X-Skiff-Instance"));
    }

    @Test
    void crashedInstanceIsA502AndReplacedOnTheNextCall() throws IOException {
        deployExec("crashes", script("crashes.sh", "read input; [ \"$input\" = crash ] && kill -9 $PPID; echo alive"), "");
        Response first = invoke("crashes", "hello\n");
        first.then().statusCode(200).body(equalTo("alive\n"));
        invoke("crashes", "crash\n").then().statusCode(502).contentType("application/problem+json");
        Response next = invoke("crashes", "hello\n");
        next.then().statusCode(200).body(equalTo("alive\n"));
        assertNotEquals(first.header("X-Skiff-Instance"), next.header("X-Skiff-Instance"));
    }

    @Test
    void metricsShowInvocationsAndColdStarts() throws IOException {
        deployExec("metered", script("metered.sh", "cat"), "");
        invoke("metered", "a").then().statusCode(200);
        invoke("metered", "b").then().statusCode(200);
        given().when().get(gateway() + "/q/metrics").then().statusCode(200)
                .body(containsString("gateway_function_invocation_total{code=\"200\",function_name=\"metered\"} 2.0"))
                .body(containsString("skiff_gateway_invocations_total{code=\"200\",function=\"metered\"} 2.0"))
                .body(containsString("gateway_functions_seconds_count{function_name=\"metered\"} 2"))
                .body(containsString("gateway_service_count"));
        String agentMetrics = given().when().get(skiff.agentUrl() + "/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(agentMetrics.contains("skiff_agent_cold_starts_total{function=\"metered\"} 1.0"), agentMetrics);
        assertTrue(agentMetrics.contains("skiff_agent_warm_starts_total{function=\"metered\"} 1.0"));
        assertTrue(agentMetrics.contains("skiff_instance_boot_seconds_count{function=\"metered\"} 1"));
        assertTrue(agentMetrics.contains("skiff_agent_instances{function=\"metered\",state=\"ready\"} 1.0"));
    }

    @Test
    void schedulerSeesTheNodeAndItsInstances() throws IOException {
        deployExec("seen", script("seen.sh", "cat"), "");
        invoke("seen", "x").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().when().get("http://127.0.0.1:" + skiff.schedulerPort + "/v1/functions").then().statusCode(200)
                        .body("find { it.function == 'seen' }.ready", greaterThanOrEqualTo(1)));
    }
}
