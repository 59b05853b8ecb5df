package dev.skiff.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenFaaS' secrets API over the directory store (target/test-secrets): what goes in, what never comes out. */
@QuarkusTest
class SecretsApiTest {
    private static final Path STORE = Path.of("target/test-secrets");

    @BeforeAll
    static void emptyStore() throws IOException {
        if (Files.exists(STORE)) {
            try (Stream<Path> tree = Files.walk(STORE)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String body(String name, String field, String value) {
        return "{\"name\":\"" + name + "\",\"" + field + "\":\"" + value + "\"}";
    }

    @Test
    void aSecretIsCreatedListedByNameOnlyUpdatedAndDeleted() throws Exception {
        given().contentType(ContentType.JSON).body(body("db-password", "value", "hunter2"))
                .when().post("/system/secrets")
                .then().statusCode(201).body("name", equalTo("db-password")).body("namespace", equalTo("default"));
        assertEquals("hunter2", Files.readString(STORE.resolve("default/db-password")));

        given().when().get("/system/secrets")
                .then().statusCode(200).body("name", hasItem("db-password")).body(not(containsString("hunter2")));

        given().contentType(ContentType.JSON).body(body("db-password", "value", "other"))
                .when().post("/system/secrets")
                .then().statusCode(409).contentType("application/problem+json");
        assertEquals("hunter2", Files.readString(STORE.resolve("default/db-password")), "a refused create changes nothing");

        given().contentType(ContentType.JSON).body(body("db-password", "value", "correct-horse"))
                .when().put("/system/secrets").then().statusCode(200);
        assertEquals("correct-horse", Files.readString(STORE.resolve("default/db-password")));

        given().contentType(ContentType.JSON).body("{\"name\":\"db-password\"}")
                .when().delete("/system/secrets").then().statusCode(204);
        assertFalse(Files.exists(STORE.resolve("default/db-password")));
        given().contentType(ContentType.JSON).body("{\"name\":\"db-password\"}")
                .when().delete("/system/secrets").then().statusCode(404).body("title", equalTo("Secret not found"));
    }

    @Test
    void aRawValueKeepsItsBytes() throws Exception {
        byte[] bytes = {0, 1, (byte) 0xfe, (byte) 0xff};
        given().contentType(ContentType.JSON).body("{\"name\":\"tls-key\",\"namespace\":\"team-a\",\"rawValue\":\""
                        + Base64.getEncoder().encodeToString(bytes) + "\"}")
                .when().post("/system/secrets").then().statusCode(201).body("namespace", equalTo("team-a"));
        assertArrayEquals(bytes, Files.readAllBytes(STORE.resolve("team-a/tls-key")));
        given().when().get("/system/secrets?namespace=team-a").then().statusCode(200).body("name", hasItem("tls-key"));
    }

    @Test
    void updatingASecretThatDoesNotExistIs404AndCreatesNothing() {
        given().contentType(ContentType.JSON).body(body("never-made", "value", "x"))
                .when().put("/system/secrets").then().statusCode(404);
        assertFalse(Files.exists(STORE.resolve("default/never-made")));
    }

    @Test
    void badSecretsAreRefusedWith4xxNamingWhatIsWrong() {
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"value\":\"a\",\"rawValue\":\"YQ==\"}")
                .when().post("/system/secrets").then().statusCode(400).body("field", equalTo("value"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .when().post("/system/secrets").then().statusCode(400).body("detail", containsString("exactly one"));
        given().contentType(ContentType.JSON).body(body("x", "rawValue", "not base64!"))
                .when().post("/system/secrets").then().statusCode(400).body("field", equalTo("rawValue"))
                .body(not(containsString("not base64!")));
        given().contentType(ContentType.JSON).body(body("../etc", "value", "x"))
                .when().post("/system/secrets").then().statusCode(400).body("errors.field", hasItem(containsString("name")));
        given().contentType(ContentType.JSON).body(body("Upper", "value", "x"))
                .when().post("/system/secrets").then().statusCode(400);
        given().when().get("/system/secrets?namespace=Not_A_Label").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"value\":7}")
                .when().post("/system/secrets").then().statusCode(400).body("detail", containsString("value"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"value\":true}")
                .when().post("/system/secrets").then().statusCode(400);
        given().contentType(ContentType.JSON).body(body("big", "value", "x".repeat(512 * 1024 + 1)))
                .when().post("/system/secrets").then().statusCode(413).contentType("application/problem+json");
        assertFalse(Files.exists(STORE.resolve("default/big")));
        assertFalse(Files.exists(STORE.resolve("default/x")));
    }

    @Test
    void aDeploymentNamingAMissingSecretIsRefusedWith400() {
        given().contentType(ContentType.JSON).body("""
                {"service":"uses-secret","image":"code/a:latest","runtime":"exec","handler":"h.sh","secrets":["no-such-secret"]}""")
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("secrets"))
                .body("detail", equalTo("secret no-such-secret not found in namespace default (directory store)"));
        given().contentType(ContentType.JSON).body("""
                {"service":"uses-secret","image":"code/a:latest","runtime":"exec","handler":"h.sh","secretEnvVars":{"DB":"nope/key"}}""")
                .when().post("/system/functions")
                .then().statusCode(400).body("field", equalTo("secretEnvVars[DB]"));
        given().contentType(ContentType.JSON).body("""
                {"service":"uses-secret","image":"code/a:latest","runtime":"exec","handler":"h.sh","secretEnvVars":{"DB":"a/b/c"}}""")
                .when().post("/system/functions")
                .then().statusCode(400).body("errors.field", hasItem(containsString("secretEnvVars")));
    }
}
