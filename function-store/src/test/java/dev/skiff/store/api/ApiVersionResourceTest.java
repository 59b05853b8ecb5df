package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiVersionResourceTest {

    @Test
    void pingAnswersEmptyJsonWithTheApiVersionHeader() {
        asPusher().when().get("/v2/")
                .then().statusCode(200)
                .contentType(containsString("application/json"))
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .body("$", anEmptyMap());
    }

    @Test
    void pingWithoutTrailingSlashAnswersToo() {
        asPusher().when().get("/v2").then().statusCode(200)
                .header("Docker-Distribution-API-Version", equalTo("registry/2.0"));
    }

    @Test
    void readinessCheckReportsTheDataDirectoryWritable() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'function-store data directory' }.status", equalTo("UP"));
    }
}
