package dev.skiff.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With an internal token set, heartbeats and placements come only from the platform's services. */
@QuarkusTest
@TestProfile(InternalTokenTest.WithToken.class)
class InternalTokenTest {
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.internal-token", "sched-token");
        }
    }

    private static String heartbeat(String node) {
        return "{\"nodeId\":\"" + node + "\",\"url\":\"http://127.0.0.1:1\","
                + "\"capacity\":{\"vcpus\":2,\"memoryBytes\":1073741824,\"instanceSlots\":4},\"functions\":[]}";
    }

    @Test
    void aHeartbeatWithoutTheTokenIsRefusedAndRegistersNothing() {
        given().contentType(ContentType.JSON).body(heartbeat("tok-refused")).when().put("/v1/nodes/tok-refused")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"skiff-internal\""))
                .body("detail", containsString("internal token"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(heartbeat("tok-refused"))
                .when().put("/v1/nodes/tok-refused").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"function\":\"hello\",\"memoryBytes\":134217728}")
                .when().post("/v1/placements").then().statusCode(401);
        given().when().get("/v1/nodes").then().statusCode(401);
        given().header("Authorization", "Bearer sched-token").when().get("/v1/nodes").then().statusCode(200)
                .body(not(containsString("tok-refused")));
    }

    @Test
    void withTheTokenAHeartbeatRegisters() {
        given().header("Authorization", "Bearer sched-token").contentType(ContentType.JSON).body(heartbeat("tok-1"))
                .when().put("/v1/nodes/tok-1").then().statusCode(201);
        given().header("Authorization", "Bearer sched-token").when().get("/v1/nodes").then().statusCode(200)
                .body(containsString("tok-1"));
    }
}
