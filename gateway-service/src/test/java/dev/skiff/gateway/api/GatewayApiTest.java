package dev.skiff.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The gateway's API edges, without a store or scheduler behind it: bad input is refused before
 * anything else happens, and a missing store is a clear 503. Whole flows run in e2e-tests.
 */
@QuarkusTest
class GatewayApiTest {
    private static final String VALID = """
            {"service":"hello","image":"code/hello:latest","runtime":"exec","handler":"handler.sh"}""";

    @Test
    void deployWithoutServiceIsRejectedWith400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"image\":\"code/hello\",\"runtime\":\"exec\",\"handler\":\"h\"}")
                .when().post("/system/functions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("field", equalTo("service"));
    }

    @Test
    void deployWithoutImageIsRejectedWith400() {
        given().contentType(ContentType.JSON).body("{\"service\":\"hello\",\"runtime\":\"exec\",\"handler\":\"h\"}")
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("image"));
    }

    @Test
    void deployWithUnknownRuntimeIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("\"exec\"", "\"cobol\""))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("runtime"));
    }

    @Test
    void deployWithInvalidNameIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("\"hello\"", "\"Hello World\""))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("service"))
                .body("detail", containsString("DNS label"));
    }

    @Test
    void deployWithInvalidEnvNameIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"envVars\":{\"BAD-NAME\":\"x\"}}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("errors.field", hasItem(containsString("envVars")));
    }

    @Test
    void deployWithInvalidMemoryIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"limits\":{\"memory\":\"lots\"}}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("limits.memory"));
    }

    @Test
    void deployWithBadScaleLabelIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"labels\":{\"com.openfaas.scale.max\":\"many\"}}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("labels[com.openfaas.scale.max]"));
    }

    @Test
    void deployWithMalformedJsonIsRejectedWith400() {
        given().contentType(ContentType.JSON).body("{\"service\":")
                .when().post("/system/functions")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void deployWithWrongTypeIsRejectedWith400NamingTheField() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"concurrency\":\"lots\"}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("concurrency"));
    }

    @Test
    void deployWithoutBodyIsRejectedWith400() {
        given().contentType(ContentType.JSON).when().post("/system/functions")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void deleteWithoutFunctionNameIsRejectedWith400() {
        given().contentType(ContentType.JSON).body("{}").when().delete("/system/functions")
                .then().statusCode(400).body("field", equalTo("functionName"));
    }

    @Test
    void uploadWithEmptyBodyIsRejectedWith400() {
        given().contentType(ContentType.BINARY).when().post("/system/code/hello")
                .then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void uploadWithPathInFilenameIsRejectedWith400() {
        given().contentType(ContentType.BINARY).body(new byte[] {1}).queryParam("filename", "../x")
                .when().post("/system/code/hello")
                .then().statusCode(400).body("field", equalTo("filename"));
    }

    @Test
    void scaleWithNegativeReplicasIsRejectedWith400() {
        given().contentType(ContentType.JSON).body("{\"serviceName\":\"hello\",\"replicas\":-1}")
                .when().post("/system/scale-function/hello")
                .then().statusCode(400).body("field", equalTo("replicas"));
    }

    @Test
    void scaleNamingAnotherFunctionIsRejectedWith400() {
        given().contentType(ContentType.JSON).body("{\"serviceName\":\"other\",\"replicas\":1}")
                .when().post("/system/scale-function/hello")
                .then().statusCode(400).body("field", equalTo("serviceName"));
    }

    @Test
    void invokeWithInvalidNameIsRejectedWith400() {
        given().body("hi").when().post("/function/Not_Valid")
                .then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void listingWhileTheStoreIsDownIsAClear503() {
        given().when().get("/system/functions")
                .then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("function store"));
    }

    @Test
    void deployingWhileTheStoreIsDownIsAClear503() {
        given().contentType(ContentType.JSON).body(VALID).when().post("/system/functions")
                .then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void aGatewayWithoutCatalogAndRoutingViewIsNotReadyButAlive() {
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'function catalog' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'routing view' }.status", equalTo("DOWN"));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsUseOpenFaasNames() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_service_count"));
    }

    @Test
    void withoutNatsTheAsyncCallQueueIsAClear503() {
        given().when().get("/system/async-calls/00000000-0000-0000-0000-000000000000").then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("skiff.gateway.async.nats-url"));
        given().when().get("/system/async-calls/NOT-A-CALL").then().statusCode(400)
                .body("detail", containsString("must be a call id"));
    }

    @Test
    void invokeBodyOverTheSizeLimitIs413ProblemJsonNotABareVertx413() throws Exception {
        // the test profile's quarkus.http.limits.max-body-size is 1M; the head alone is enough for the answer
        // (a client still writing the body when the server closes may see a reset instead of the 413)
        String answer = raw("POST /function/hello HTTP/1.1\r\nHost: x\r\nContent-Length: " + ((1 << 20) + 1) + "\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        org.junit.jupiter.api.Assertions.assertTrue(answer.contains("application/problem+json")
                && answer.contains("\"title\":\"Payload too large\"") && answer.contains("max-body-size"), answer);
    }

    @Test
    void uploadOverTheHttpLimitIs413ProblemJson() throws Exception {
        String answer = raw("POST /system/code/hello?filename=big.bin HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + ((1 << 20) + 1) + "\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("\"status\":413"), answer);
    }

    @Test
    void pathWithBrokenPercentEncodingIs400ProblemJson() throws Exception {
        for (String path : java.util.List.of("/system/function/%zz", "/function/%")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            org.junit.jupiter.api.Assertions.assertTrue(answer.contains("application/problem+json") && answer.contains("percent-encoding"), answer);
        }
    }

    /** REST Assured will not send a broken path, nor a head without its body: a socket does. */
    private static String raw(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedFromItsHeadAlone() throws Exception {
        String answer = raw("POST /function/hello HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("\"status\":413"), answer);
    }

    @Test
    void deployWithAFieldGivenTwiceIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"service\":\"other\"}"))
                .when().post("/system/functions")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("Duplicate field"));
    }

    @Test
    void deployWithAFractionalConcurrencyIsRejectedWith400NamingTheField() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"concurrency\":1.5}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("concurrency"));
    }

    @Test
    void deployWithAScaleLabelInAnotherScriptsDigitsIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"labels\":{\"com.openfaas.scale.min\":\"\u0663\"}}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("labels[com.openfaas.scale.min]"));
    }

    @Test
    void deployWithAConcurrencyGivenAsAStringIsRejectedWith400NamingTheField() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"concurrency\":\"1\"}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("concurrency"));
    }

    @Test
    void deployWithANulInAnEnvValueIsRejectedWith400() {
        given().contentType(ContentType.JSON).body(VALID.replace("}", ",\"envVars\":{\"A\":\"x\\u0000y\"}}"))
                .when().post("/system/functions")
                .then().statusCode(400).body("errors.field", hasItem(containsString("envVars")))
                .body("detail", containsString("NUL"));
    }

    @Test
    void uploadFileNamesThatCouldLeaveTheCodeDirectoryAreRejectedWith400() {
        // the name becomes a file under the instance's code directory on every node: no directory in it, no dot file
        for (String filename : java.util.List.of("..", ".", "../x", "..\\x", "a/b", "/etc/passwd", ".hidden", "a\u0000b",
                "x".repeat(129), "f\u00fcnf", "a b", "$(id)")) {
            given().contentType(ContentType.BINARY).body(new byte[] {1}).queryParam("filename", filename)
                    .when().post("/system/code/hello")
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("filename"));
        }
    }
}
