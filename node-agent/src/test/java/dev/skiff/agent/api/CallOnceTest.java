package dev.skiff.agent.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.Headers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A call with an id runs once on a node: repeats of the id get the first run's answer. */
@QuarkusTest
@WithTestResource(FakeRegistry.class)
class CallOnceTest {
    private static final String INVOKE = "/v1/functions/" + FakeRegistry.FUNCTION + "/invoke";

    private static Response invoke(String callId, String body) {
        var request = given().header(Headers.FUNCTION_DIGEST, FakeRegistry.DIGEST).body(body);
        if (callId != null) {
            request.header(Headers.CALL_ID, callId);
        }
        return request.when().post(INVOKE).then().extract().response();
    }

    private static int runs(String body) throws IOException {
        Path file = FakeRegistry.RUNS.resolve(body);
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static void openGate(String body) throws IOException {
        Files.createFile(FakeRegistry.GATES.resolve(body));
    }

    @Test
    void aRepeatedCallIdGetsTheFirstAnswerWithoutRunningTheFunctionAgain() throws IOException {
        openGate("once");
        Response first = invoke("call-once", "once");
        first.then().statusCode(200).body(equalTo("ran once")).header(Headers.CALL_REPLAY, emptyOrNullString());

        Response again = invoke("call-once", "once");

        again.then().statusCode(200).body(equalTo("ran once")).header(Headers.CALL_REPLAY, "replayed")
                .header(Headers.INSTANCE, first.header(Headers.INSTANCE));
        assertEquals(1, runs("once"), "the function ran once");
        given().when().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.matchesRegex(
                "(?s).*skiff_agent_call_repeats_total\\{function=\"" + FakeRegistry.FUNCTION + "\",kind=\"replayed\"[^}]*\\} [1-9].*"));
    }

    @Test
    void aRepeatWhileTheCallRunsGetsItsAnswerWithoutASecondRun() throws IOException {
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> invoke("call-slow", "slow"));
        await("the function started").atMost(Duration.ofSeconds(60)).until(() -> runs("slow") == 1);
        CompletableFuture<Response> repeat = CompletableFuture.supplyAsync(() -> invoke("call-slow", "slow"));

        openGate("slow");

        first.join().then().statusCode(200).body(equalTo("ran slow"));
        repeat.join().then().statusCode(200).body(equalTo("ran slow"));
        String replay = repeat.join().header(Headers.CALL_REPLAY);
        assertNotNull(replay, "the repeat did not run the call");
        assertTrue(Set.of("joined", "replayed").contains(replay), replay);
        assertEquals(1, runs("slow"), "the function ran once");
    }

    @Test
    void callsWithoutAnIdRunEveryTime() throws IOException {
        openGate("sync");
        for (String ignored : List.of("1", "2")) {
            invoke(null, "sync").then().statusCode(200).body(equalTo("ran sync")).header(Headers.CALL_REPLAY, emptyOrNullString());
        }
        assertEquals(2, runs("sync"));
    }
}
