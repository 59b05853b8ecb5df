package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The calls a user makes, as the README shows them, against one running platform. */
final class SkiffApi {
    private final SkiffProcesses skiff;

    SkiffApi(SkiffProcesses skiff) {
        this.skiff = skiff;
    }

    String gateway() {
        return skiff.gatewayUrl();
    }

    /** Uploads a file as the code of a function; returns the image to deploy. */
    String upload(String function, Path file) throws IOException {
        return given().contentType(ContentType.BINARY).body(Files.readAllBytes(file))
                .queryParam("filename", file.getFileName().toString())
                .when().post(gateway() + "/system/code/" + function)
                .then().statusCode(201).body("image", equalTo("code/" + function + ":latest"))
                .extract().path("image");
    }

    /** A shell script in the test's work directory. */
    Path script(String name, String body) throws IOException {
        Path file = skiff.work.resolve("scripts").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        return file;
    }

    /** Uploads a script and deploys it with the exec runtime; {@code extra} is more JSON fields, each led by a comma. */
    void deployExec(String function, Path script, String extra) throws IOException {
        String image = upload(function, script);
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"%s\",\"image\":\"%s\",\"runtime\":\"exec\",\"handler\":\"%s\"%s}"
                        .formatted(function, image, script.getFileName(), extra))
                .when().post(gateway() + "/system/functions")
                .then().statusCode(202).body("digest", containsString("sha256:"));
    }

    Response invoke(String function, String body) {
        return given().body(body).when().post(gateway() + "/function/" + function);
    }

    /** The node agent's instances of a function. */
    List<Map<String, Object>> instancesOf(String function) {
        return SkiffProcesses.internal().when().get(skiff.agentUrl() + "/v1/instances").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.function == '" + function + "' }");
    }
}
