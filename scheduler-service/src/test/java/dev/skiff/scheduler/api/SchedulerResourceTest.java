package dev.skiff.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SchedulerResourceTest {

    private static String heartbeat(String node, int slots, int ready) {
        return """
                {"nodeId":"%s","url":"http://127.0.0.1:9999","capacity":{"vcpus":2,"memoryBytes":1073741824,"instanceSlots":%d},
                 "functions":[{"function":"hello","digest":"sha256:1","booting":0,"ready":%d,"busy":0}]}
                """.formatted(node, slots, ready);
    }

    @Test
    void firstHeartbeatRegistersTheNodeAndLaterOnesRefreshIt() {
        given().contentType(ContentType.JSON).body(heartbeat("reg-1", 10, 1))
                .when().put("/v1/nodes/reg-1").then().statusCode(201);
        given().contentType(ContentType.JSON).body(heartbeat("reg-1", 10, 2))
                .when().put("/v1/nodes/reg-1").then().statusCode(200);
        given().when().get("/v1/nodes").then().statusCode(200)
                .body("find { it.nodeId == 'reg-1' }.up", equalTo(true))
                .body("find { it.nodeId == 'reg-1' }.functions[0].ready", equalTo(2));
    }

    @Test
    void placementReturnsANodeThatIsUpWithRoom() {
        given().contentType(ContentType.JSON).body(heartbeat("place-1", 10, 0))
                .when().put("/v1/nodes/place-1").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"function\":\"hello\",\"memoryBytes\":134217728}")
                .when().post("/v1/placements").then().statusCode(200)
                .body("nodeId", org.hamcrest.Matchers.notNullValue())
                .body("url", equalTo("http://127.0.0.1:9999"));
    }

    @Test
    void placementBeyondMaxScaleIsRefusedWith503() {
        given().contentType(ContentType.JSON).body(heartbeat("max-1", 10, 2)).put("/v1/nodes/max-1");
        given().contentType(ContentType.JSON).body("{\"function\":\"hello\",\"memoryBytes\":1,\"maxScale\":1}")
                .when().post("/v1/placements").then().statusCode(503).header("Retry-After", "1")
                .body("detail", containsString("maxScale"));
    }

    @Test
    void aNewVersionIsPlacedWhileTheOldOneHoldsMaxScaleInstances() {
        given().contentType(ContentType.JSON).body("""
                {"nodeId":"roll-1","url":"http://127.0.0.1:9999","capacity":{"vcpus":2,"memoryBytes":1073741824,"instanceSlots":10},
                 "functions":[{"function":"rolled","digest":"sha256:old","booting":0,"ready":2,"busy":0}]}
                """).put("/v1/nodes/roll-1");
        given().contentType(ContentType.JSON).body("{\"function\":\"rolled\",\"digest\":\"sha256:old\",\"memoryBytes\":1,\"maxScale\":2}")
                .when().post("/v1/placements").then().statusCode(503).body("detail", containsString("maxScale"));
        given().contentType(ContentType.JSON).body("{\"function\":\"rolled\",\"digest\":\"sha256:new\",\"memoryBytes\":1,\"maxScale\":2}")
                .when().post("/v1/placements").then().statusCode(200).body("nodeId", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void functionsAreSummedOverNodes() {
        given().contentType(ContentType.JSON).body(heartbeat("sum-1", 10, 1)).put("/v1/nodes/sum-1");
        given().when().get("/v1/functions").then().statusCode(200)
                .body("function", hasItem("hello"));
    }

    @Test
    void heartbeatWithoutCapacityIsRejectedWith400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"nodeId\":\"bad-1\",\"url\":\"http://x\"}")
                .when().put("/v1/nodes/bad-1").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("capacity"));
    }

    @Test
    void heartbeatForAnotherNodeIsRejected() {
        given().contentType(ContentType.JSON).body(heartbeat("other", 10, 0))
                .when().put("/v1/nodes/bad-2").then().statusCode(400)
                .body("field", equalTo("nodeId"));
    }

    @Test
    void malformedJsonIsRejectedWith400() {
        given().contentType(ContentType.JSON).body("{\"nodeId\":")
                .when().put("/v1/nodes/bad-3").then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed request body"));
    }

    @Test
    void placementWithoutFunctionIsRejected() {
        given().contentType(ContentType.JSON).body("{\"memoryBytes\":1}")
                .when().post("/v1/placements").then().statusCode(400)
                .body("field", equalTo("function"));
    }

    @Test
    void metricsShowNodesAndPlacements() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("skiff_scheduler_nodes{"));
    }
}
