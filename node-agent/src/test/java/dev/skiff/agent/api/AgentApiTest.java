package dev.skiff.agent.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesRegex;

import dev.skiff.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The agent's API edges. Calls that reach instances are covered end to end in e2e-tests. */
@QuarkusTest
class AgentApiTest {
    private static final String DIGEST = "sha256:" + "c".repeat(64);

    @Test
    void invokeWithoutDigestIsRejectedWith400() {
        given().body("hi").when().post("/v1/functions/hello/invoke")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo(Headers.FUNCTION_DIGEST));
    }

    @Test
    void invokeWithMalformedDigestIsRejectedWith400() {
        given().header(Headers.FUNCTION_DIGEST, "sha256:../../etc").body("hi").when().post("/v1/functions/hello/invoke")
                .then().statusCode(400).body("field", equalTo(Headers.FUNCTION_DIGEST));
    }

    @Test
    void invokeWithInvalidFunctionNameIsRejectedWith400() {
        given().header(Headers.FUNCTION_DIGEST, DIGEST).body("hi").when().post("/v1/functions/Bad_Name/invoke")
                .then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void invokeWithMalformedCallIdIsRejectedWith400() {
        given().header(Headers.FUNCTION_DIGEST, DIGEST).header(Headers.CALL_ID, "no spaces allowed").body("hi")
                .when().post("/v1/functions/hello/invoke")
                .then().statusCode(400).body("field", equalTo(Headers.CALL_ID));
    }

    @Test
    void invokeWhenTheStoreIsUnreachableIsA502NotAHang() {
        given().header(Headers.FUNCTION_DIGEST, DIGEST).body("hi").when().post("/v1/functions/hello/invoke")
                .then().statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("Artifact unavailable"));
    }

    @Test
    void instancesListIsEmptyOnAFreshNode() {
        given().when().get("/v1/instances").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void stoppingAFunctionWithoutInstancesStopsNothing() {
        given().when().delete("/v1/functions/hello").then().statusCode(200).body("stopped", equalTo(0));
    }

    @Test
    void preBootOfZeroInstancesIsRejectedWith400() {
        given().header(Headers.FUNCTION_DIGEST, DIGEST).contentType("application/json").body("{\"count\":0}")
                .when().post("/v1/functions/hello/instances")
                .then().statusCode(400).body("field", equalTo("count"));
    }

    @Test
    void statsListNothingOnAFreshNode() {
        given().when().get("/v1/stats").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void nodeCapacityIsExposedAsMetrics() {
        given().when().get("/v1/instances").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("skiff_node_capacity_memory_bytes 8.589934592E9"))
                .body(containsString("skiff_node_capacity_instance_slots 64.0"))
                .body(matchesRegex("(?s).*skiff_node_capacity_vcpus [1-9].*"))
                .body(containsString("skiff_node_reserved_memory_bytes 0.0"))
                .body(containsString("skiff_node_reserved_vcpus 0.0"));
    }

    @Test
    void healthIsUp() {
        given().when().get("/q/health").then().statusCode(200).body(containsString("UP"));
    }
}
