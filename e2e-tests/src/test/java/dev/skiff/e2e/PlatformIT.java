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
import java.time.Duration;
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
    private static SkiffApi api;

    @BeforeAll
    static void start() throws IOException {
        skiff = new SkiffProcesses("platform").start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    @Test
    void execSampleRunsColdThenWarmThenIsKilledWhenIdle() throws IOException {
        api.deployExec("hello-exec", skiff.root.resolve("examples/exec-hello/handler.sh"), ",\"idleTimeoutSeconds\":2");

        Response cold = api.invoke("hello-exec", "e2e");
        cold.then().statusCode(200).body(equalTo("Hello from exec, e2e!\n")).header("X-Skiff-Start", "cold");
        Response warm = api.invoke("hello-exec", "again");
        warm.then().statusCode(200).body(containsString("again")).header("X-Skiff-Start", "warm");
        assertEquals(cold.header("X-Skiff-Instance"), warm.header("X-Skiff-Instance"), "the warm call reuses the instance");

        Map<String, Object> served = api.instancesOf("hello-exec").stream()
                .filter(i -> i.get("id").equals(cold.header("X-Skiff-Instance"))).findFirst().orElseThrow();
        assertEquals(2, ((Number) served.get("invocations")).intValue());

        await("idle instances killed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.instancesOf("hello-exec").isEmpty());
        long pid = ((Number) served.get("pid")).longValue();
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the instance's process is gone");

        Response after = api.invoke("hello-exec", "back");
        after.then().statusCode(200).header("X-Skiff-Start", "cold");
        assertNotEquals(cold.header("X-Skiff-Instance"), after.header("X-Skiff-Instance"));
    }

    @Test
    void javaSampleAnswers() throws IOException {
        String image = api.upload("hello-java", skiff.root.resolve("examples/java-hello/target/java-hello.jar"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"hello-java\",\"image\":\"" + image + "\",\"runtime\":\"java\","
                        + "\"handler\":\"dev.skiff.examples.Hello\",\"limits\":{\"memory\":\"128Mi\"}}")
                .when().post(api.gateway() + "/system/functions").then().statusCode(202);
        api.invoke("hello-java", "e2e").then().statusCode(200).body(equalTo("Hello, e2e!"));
        api.invoke("hello-java", "warm").then().statusCode(200).header("X-Skiff-Start", "warm");
    }

    @Test
    void functionsAreListedWithReplicasAndInvocationsThenRemoved() throws IOException {
        api.deployExec("listed", api.script("listed.sh", "cat"), "");
        api.invoke("listed", "one").then().statusCode(200).body(equalTo("one"));
        api.invoke("listed", "two").then().statusCode(200);

        await("replicas reported").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().when().get(api.gateway() + "/system/functions").then().statusCode(200)
                        .body("find { it.name == 'listed' }.replicas", greaterThanOrEqualTo(1))
                        .body("find { it.name == 'listed' }.availableReplicas", greaterThanOrEqualTo(1))
                        .body("find { it.name == 'listed' }.invocationCount", equalTo(2))
                        .body("find { it.name == 'listed' }.image", equalTo("code/listed:latest")));

        given().contentType(ContentType.JSON).body("{\"functionName\":\"listed\"}")
                .when().delete(api.gateway() + "/system/functions").then().statusCode(202);
        given().when().get(api.gateway() + "/system/functions").then().statusCode(200).body("name", not(hasItem("listed")));
        api.invoke("listed", "gone").then().statusCode(404).contentType("application/problem+json");
        await("instances stopped").atMost(Duration.ofSeconds(10)).until(() -> api.instancesOf("listed").isEmpty());
        given().contentType(ContentType.JSON).body("{\"functionName\":\"listed\"}")
                .when().delete(api.gateway() + "/system/functions").then().statusCode(404);
    }

    @Test
    void badDeploymentsAreRefusedAndNothingIsLeftBehind() throws IOException {
        api.deployExec("dup", api.script("dup.sh", "cat"), "");
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"dup\",\"image\":\"code/dup:latest\",\"runtime\":\"exec\",\"handler\":\"dup.sh\"}")
                .when().post(api.gateway() + "/system/functions").then().statusCode(409).body("field", equalTo("service"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"nocode\",\"image\":\"code/nocode:latest\",\"runtime\":\"exec\",\"handler\":\"x.sh\"}")
                .when().post(api.gateway() + "/system/functions").then().statusCode(400).body("field", equalTo("image"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"wronghandler\",\"image\":\"code/dup:latest\",\"runtime\":\"exec\",\"handler\":\"other.sh\"}")
                .when().post(api.gateway() + "/system/functions").then().statusCode(400).body("field", equalTo("handler"));
        given().contentType(ContentType.JSON).body("{\"service\":\"nothing\"}")
                .when().put(api.gateway() + "/system/functions").then().statusCode(400);
        given().when().get(api.gateway() + "/system/functions").then().statusCode(200)
                .body("name", not(hasItem("nocode"))).body("name", not(hasItem("wronghandler")));
        api.invoke("never-deployed", "x").then().statusCode(404).body("title", equalTo("Function not found"));
    }

    @Test
    void updateRollsOutANewVersion() throws IOException {
        api.deployExec("versioned", api.script("v1.sh", "echo v1"), "");
        api.invoke("versioned", "").then().statusCode(200).body(equalTo("v1\n"));
        String image = api.upload("versioned", api.script("v2.sh", "echo v2"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"versioned\",\"image\":\"" + image + "\",\"runtime\":\"exec\",\"handler\":\"v2.sh\"}")
                .when().put(api.gateway() + "/system/functions").then().statusCode(202);
        api.invoke("versioned", "").then().statusCode(200).body(equalTo("v2\n"));

        given().when().get(api.gateway() + "/system/function/versioned/versions").then().statusCode(200)
                .body("size()", equalTo(2)).body("[0].current", equalTo(true));
        given().contentType(ContentType.JSON).body("{}").when().post(api.gateway() + "/system/function/versioned/rollback")
                .then().statusCode(202);
        api.invoke("versioned", "").then().statusCode(200).body(equalTo("v1\n"));
        given().contentType(ContentType.JSON).body("{\"version\":\"latest\"}")
                .when().post(api.gateway() + "/system/function/versioned/rollback")
                .then().statusCode(400).body("field", equalTo("version"));
    }

    @Test
    void failingFunctionIsA502AndOthersKeepServing() throws IOException {
        api.deployExec("fails", api.script("fails.sh", "echo 'something broke' >&2; exit 3"), "");
        api.invoke("fails", "x").then().statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("Function failed"))
                .body("detail", containsString("exit status 3"));
        api.deployExec("healthy", api.script("healthy.sh", "cat"), "");
        api.invoke("healthy", "fine").then().statusCode(200).body(equalTo("fine"));
    }

    @Test
    void hangingFunctionIsA504AndTheNextCallGetsAFreshInstance() throws IOException {
        api.deployExec("hangs", api.script("hangs.sh", "read input; [ \"$input\" = quick ] && { echo ok; exit 0; }; sleep 60"),
                ",\"timeoutSeconds\":1");
        Response first = api.invoke("hangs", "quick\n");
        first.then().statusCode(200);
        api.invoke("hangs", "slow\n").then().statusCode(504).contentType("application/problem+json")
                .body("title", equalTo("Function timed out"));
        Response next = api.invoke("hangs", "quick\n");
        next.then().statusCode(200);
        assertNotEquals(first.header("X-Skiff-Instance"), next.header("X-Skiff-Instance"), "the hung instance was killed");
    }

    @Test
    void crashedInstanceIsA502AndReplacedOnTheNextCall() throws IOException {
        api.deployExec("crashes", api.script("crashes.sh", "read input; [ \"$input\" = crash ] && kill -9 $PPID; echo alive"), "");
        Response first = api.invoke("crashes", "hello\n");
        first.then().statusCode(200).body(equalTo("alive\n"));
        api.invoke("crashes", "crash\n").then().statusCode(502).contentType("application/problem+json");
        Response next = api.invoke("crashes", "hello\n");
        next.then().statusCode(200).body(equalTo("alive\n"));
        assertNotEquals(first.header("X-Skiff-Instance"), next.header("X-Skiff-Instance"));
    }

    @Test
    void metricsShowInvocationsAndColdStarts() throws IOException {
        api.deployExec("metered", api.script("metered.sh", "cat"), "");
        api.invoke("metered", "a").then().statusCode(200);
        api.invoke("metered", "b").then().statusCode(200);
        given().when().get(api.gateway() + "/q/metrics").then().statusCode(200)
                .body(containsString("gateway_function_invocation_total{code=\"200\",function_name=\"metered\"} 2.0"))
                .body(containsString("skiff_gateway_invocations_total{code=\"200\",function=\"metered\"} 2.0"))
                .body(containsString("gateway_functions_seconds_count{function_name=\"metered\"} 2"))
                .body(containsString("gateway_service_count"));
        String agentMetrics = given().when().get(skiff.agentUrl() + "/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1.0, metric(agentMetrics, "skiff_agent_cold_starts_total{function=\"metered\"}"), agentMetrics);
        assertEquals(1.0, metric(agentMetrics, "skiff_agent_warm_starts_total{function=\"metered\"}"));
        assertTrue(metric(agentMetrics, "skiff_instance_boot_seconds_count{function=\"metered\"}") >= 1);
        assertTrue(metric(agentMetrics, "skiff_agent_instances{function=\"metered\",state=\"ready\"}") >= 1);
    }

    @Test
    void schedulerSeesTheNodeAndItsInstances() throws IOException {
        api.deployExec("seen", api.script("seen.sh", "cat"), "");
        api.invoke("seen", "x").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                SkiffProcesses.internal().when().get("http://127.0.0.1:" + skiff.schedulerPort + "/v1/functions").then().statusCode(200)
                        .body("find { it.function == 'seen' }.ready", greaterThanOrEqualTo(1)));
    }

    @Test
    void agentsAndTheSchedulerAnswerOnlyThePlatform() throws IOException {
        // the gateway's calls carry the internal token (this one just worked through it); a stranger's do not
        api.deployExec("guarded", api.script("guarded.sh", "cat"), "");
        api.invoke("guarded", "via the gateway").then().statusCode(200);
        String digest = given().when().get(api.gateway() + "/system/function/guarded").then().statusCode(200)
                .extract().path("digest");
        given().header("X-Skiff-Function-Digest", digest).body("behind its back")
                .when().post(skiff.agentUrl() + "/v1/functions/guarded/invoke")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().when().delete(skiff.agentUrl() + "/v1/functions/guarded").then().statusCode(401);
        given().contentType("application/json").body("{\"function\":\"guarded\",\"memoryBytes\":134217728}")
                .when().post("http://127.0.0.1:" + skiff.schedulerPort + "/v1/placements").then().statusCode(401);
        // nor does either tell a stranger which functions, instances and nodes there are
        given().when().get(skiff.agentUrl() + "/v1/instances").then().statusCode(401);
        given().when().get("http://127.0.0.1:" + skiff.schedulerPort + "/v1/nodes").then().statusCode(401);
        given().when().get(skiff.agentUrl() + "/q/health/ready").then().statusCode(200);
        api.invoke("guarded", "still served").then().statusCode(200).body(equalTo("still served"));
    }

    /** The value of one sample in a Prometheus text exposition, or NaN when absent. */
    private static double metric(String exposition, String sample) {
        return exposition.lines().filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
                .findFirst().orElse(Double.NaN);
    }
}
