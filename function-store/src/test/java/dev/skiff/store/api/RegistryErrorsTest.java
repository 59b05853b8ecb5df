package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.skiff.contracts.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input on the registry API: always a 4xx in the OCI error format, never a path outside the data directory. */
@QuarkusTest
class RegistryErrorsTest {

    @Test
    void invalidRepositoryNamesAreNameInvalid() {
        String digest = sha256("x");
        for (String name : List.of("Upper", "trailing-", "-leading", "a..b", "a___b", "a/_hidden", "a/.b", "a/b-", "x".repeat(256))) {
            asPusher().when().get("/v2/" + name + "/blobs/" + digest)
                    .then().statusCode(400)
                    .contentType("application/json")
                    .body("errors[0].code", equalTo("NAME_INVALID"));
        }
    }

    @Test
    void traversalAttemptsAreRefusedInOciFormat() {
        String digest = sha256("x");
        for (String path : List.of(
                "/v2/a/..%2F..%2F..%2Fetc/blobs/" + digest,
                "/v2/a%2F..%2F..%2Fetc/tags/list",
                "/v2/..%2f..%2fetc/manifests/latest",
                "/v2/a/manifests/..%2F..%2Fpasswd",
                "/v2/a/blobs/sha256:..%2F..%2F..%2Fetc%2Fpasswd",
                "/v2/a/blobs/uploads/..%2F..%2Fblobs",
                "/v2/a/manifests/%2e%2e",
                "/v2/a//b/./c/../blobs/" + digest,
                "/v2/%2e%2e/tags/list")) {
            asPusher().urlEncodingEnabled(false).when().get(path)
                    .then().statusCode(greaterThanOrEqualTo(400)).statusCode(lessThan(500))
                    .contentType("application/json")
                    .body("errors.code", everyItem(notNullValue()));
        }
    }

    @Test
    void invalidTagIsTagInvalid() {
        asPusher().contentType(MediaTypes.OCI_MANIFEST).body("{}")
                .when().put("/v2/" + uniqueRepository("errors") + "/manifests/-bad-tag")
                .then().statusCode(400).body("errors[0].code", equalTo("TAG_INVALID"));
        asPusher().when().get("/v2/" + uniqueRepository("errors") + "/manifests/" + "t".repeat(129))
                .then().statusCode(400).body("errors[0].code", equalTo("TAG_INVALID"));
    }

    @Test
    void unknownEndpointUnderV2AnswersInOciFormat() {
        asPusher().when().get("/v2/a/b/nowhere")
                .then().statusCode(404)
                .contentType("application/json")
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .body("errors[0].code", equalTo("UNSUPPORTED"));
    }

    @Test
    void unsupportedMethodAnswersInOciFormat() {
        asPusher().when().patch("/v2/" + uniqueRepository("errors") + "/blobs/" + sha256("x"))
                .then().statusCode(405)
                .body("errors[0].code", equalTo("UNSUPPORTED"));
    }

    @Test
    void malformedContentRangeIsBlobUploadInvalid() {
        String location = asPusher().post("/v2/" + uniqueRepository("errors") + "/blobs/uploads/").header("Location");
        asPusher().contentType("application/octet-stream").header("Content-Range", "bytes=abc").body(new byte[] {1})
                .when().patch(location)
                .then().statusCode(400).body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
    }

    @Test
    void registryErrorsAreNotProblemJson() {
        asPusher().when().get("/v2/" + uniqueRepository("errors") + "/manifests/latest")
                .then().statusCode(404)
                .contentType(startsWith("application/json"))
                .body("errors[0].message", notNullValue());
    }

    @Test
    void aBodyDeclaredOverTheSizeLimitIs413SizeInvalidBeforeItIsRead() throws Exception {
        // only the head is sent: the store answers from Content-Length alone, not after reading 3 GB
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String head = "PUT /v2/" + uniqueRepository("big") + "/manifests/big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-push-token\r\n"
                    + "Content-Type: " + MediaTypes.OCI_MANIFEST + "\r\nContent-Length: 3000000000\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            org.junit.jupiter.api.Assertions.assertTrue(answer.contains("{\"errors\":[{\"code\":\"SIZE_INVALID\""), answer);
        }
    }

    @Test
    void aPathWithBrokenPercentEncodingIs400InOciFormat() throws Exception {
        // REST Assured refuses to send such a path: a socket does
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /v2/a%zz/tags/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            org.junit.jupiter.api.Assertions.assertTrue(answer.contains("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":"), answer);
        }
    }
}
