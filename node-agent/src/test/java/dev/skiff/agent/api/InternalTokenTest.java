package dev.skiff.agent.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With an internal token set, the agent answers its internal API only to the platform's services. */
@QuarkusTest
@TestProfile(InternalTokenTest.WithToken.class)
class InternalTokenTest {
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.internal-token", "agent-token");
        }
    }

    @Test
    void commandsWithoutTheTokenAreRefusedBeforeTheyDoAnything() {
        given().body("hi").when().post("/v1/functions/hello/invoke")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"skiff-internal\""))
                .body("detail", containsString("internal token"));
        given().when().get("/v1/instances").then().statusCode(401);
        given().when().get("/v1/stats").then().statusCode(401);
        given().header("Authorization", "Bearer not-it").contentType("application/json").body("{\"count\":1}")
                .when().post("/v1/functions/hello/instances").then().statusCode(401)
                .body("detail", containsString("not this platform's"));
        given().when().delete("/v1/functions/hello").then().statusCode(401);
    }

    @Test
    void withTheTokenRequestsReachTheAgentAndHealthAndMetricsNeedNone() {
        // past the token check, the agent itself answers: the digest header is missing
        given().header("Authorization", "Bearer agent-token").body("hi").when().post("/v1/functions/hello/invoke")
                .then().statusCode(400);
        given().header("Authorization", "Bearer agent-token").when().get("/v1/instances").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
