package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets end to end, on the standalone (directory) store: made through OpenFaaS' secrets API,
 * given to a function's instances as files and variables, changed for instances started later,
 * kept apart per namespace, and never written to a log or left on the node after the instance.
 */
class SecretsIT {
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String ROTATED = "pw-" + UUID.randomUUID();
    private static final String API_KEY = "key-" + UUID.randomUUID();
    private static SkiffProcesses skiff;
    private static SkiffApi api;

    @BeforeAll
    static void start() throws IOException {
        skiff = new SkiffProcesses("secrets").start();
        api = new SkiffApi(skiff);
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    private static void createSecret(String json) {
        given().contentType(ContentType.JSON).body(json).when().post(api.gateway() + "/system/secrets")
                .then().statusCode(201);
    }

    @Test
    void functionsReadSecretsAsFilesAndVariablesAndNothingLeaks() throws Exception {
        createSecret("{\"name\":\"db-password\",\"value\":\"" + PASSWORD + "\"}");
        createSecret("{\"name\":\"api-key\",\"rawValue\":\"" + Base64.getEncoder().encodeToString(API_KEY.getBytes(StandardCharsets.UTF_8)) + "\"}");
        Path script = api.script("show-secrets.sh", """
                dir="$SKIFF_SECRETS_DIR"
                printf 'file=%s\\n' "$(cat "$dir/db-password")"
                printf 'mode=%s\\n' "$(stat -c %a "$dir/db-password")"
                printf 'env=%s\\n' "$API_KEY"
                printf 'files=%s\\n' "$(ls "$dir" | tr '\\n' ' ')"
                """);
        api.deployExec("show-secrets", script, ",\"idleTimeoutSeconds\":1,\"secrets\":[\"db-password\"],"
                + "\"secretEnvVars\":{\"API_KEY\":\"api-key\"}");

        String answer = api.invoke("show-secrets", "").then().statusCode(200).extract().asString();
        assertTrue(answer.contains("file=" + PASSWORD + "\n"), answer);
        assertTrue(answer.contains("mode=400\n"), "only the instance's user may read it: " + answer);
        assertTrue(answer.contains("env=" + API_KEY + "\n"), answer);
        assertTrue(answer.contains("files=db-password \n"), "only the secrets the function names: " + answer);

        // a secret a function uses cannot be deleted from under it
        given().contentType(ContentType.JSON).body("{\"name\":\"db-password\"}").when().delete(api.gateway() + "/system/secrets")
                .then().statusCode(409).body("detail", containsString("show-secrets"));

        // a changed value reaches the instances started after the change
        given().contentType(ContentType.JSON).body("{\"name\":\"db-password\",\"value\":\"" + ROTATED + "\"}")
                .when().put(api.gateway() + "/system/secrets").then().statusCode(200);
        await("the idle instance gone").atMost(Duration.ofSeconds(20)).until(() -> api.instancesOf("show-secrets").isEmpty());
        api.invoke("show-secrets", "").then().statusCode(200).header("X-Skiff-Start", "cold")
                .body(containsString("file=" + ROTATED + "\n"));

        given().contentType(ContentType.JSON).body("{\"functionName\":\"show-secrets\"}")
                .when().delete(api.gateway() + "/system/functions").then().statusCode(202);
        await("instances gone").atMost(Duration.ofSeconds(20)).until(() -> api.instancesOf("show-secrets").isEmpty());

        List<String> leaks = new ArrayList<>();
        for (Path file : files(skiff.work)) {
            if (file.startsWith(skiff.secretsDir())) {
                continue;   // the store itself
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String value : List.of(PASSWORD, ROTATED, API_KEY)) {
                if (text.contains(value)) {
                    leaks.add(skiff.work.relativize(file) + " holds " + value.substring(0, 3) + "...");
                }
            }
        }
        assertEquals(List.of(), leaks, "no log, cache or instance directory keeps a secret value");
    }

    @Test
    void aFunctionSeesOnlyItsOwnNamespacesSecrets() throws IOException {
        createSecret("{\"name\":\"shared-name\",\"namespace\":\"team-a\",\"value\":\"of-team-a\"}");
        createSecret("{\"name\":\"shared-name\",\"namespace\":\"team-b\",\"value\":\"of-team-b\"}");
        Path script = api.script("read-shared.sh", "cat \"$SKIFF_SECRETS_DIR/shared-name\"");
        api.deployExec("read-shared-b", script, ",\"namespace\":\"team-b\",\"secrets\":[\"shared-name\"]");
        api.invoke("read-shared-b", "").then().statusCode(200).body(equalTo("of-team-b"));

        String image = api.upload("read-only-a", script);
        given().contentType(ContentType.JSON).body("{\"service\":\"read-only-a\",\"image\":\"" + image + "\",\"runtime\":\"exec\","
                        + "\"handler\":\"read-shared.sh\",\"namespace\":\"team-c\",\"secrets\":[\"shared-name\"]}")
                .when().post(api.gateway() + "/system/functions")
                .then().statusCode(400).body("field", equalTo("secrets"))
                .body("detail", equalTo("secret shared-name not found in namespace team-c (directory store)"));
        given().when().get(api.gateway() + "/system/secrets?namespace=team-a")
                .then().statusCode(200).body("name", equalTo(List.of("shared-name"))).body(not(containsString("of-team-a")));
    }

    @Test
    void aSecretRemovedBehindTheGatewaysBackFailsTheBootNamingIt() throws IOException {
        createSecret("{\"name\":\"vanishing\",\"value\":\"soon-gone\"}");
        Path script = api.script("vanishing.sh", "cat \"$SKIFF_SECRETS_DIR/vanishing\"");
        api.deployExec("vanishing", script, ",\"secrets\":[\"vanishing\"]");
        // an operator deletes the file by hand: the next instance cannot start, and says why
        Files.delete(skiff.secretsDir().resolve("default/vanishing"));
        api.invoke("vanishing", "").then().statusCode(502).contentType("application/problem+json")
                .body("detail", containsString("secret vanishing not found in namespace default"));
        given().when().get(skiff.agentUrl() + "/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.matchesRegex("(?s).*skiff_agent_secret_reads_total\\{function=\"vanishing\",result=\"missing\"[^}]*\\} [1-9].*"));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            return tree.filter(Files::isRegularFile).toList();
        }
    }
}
