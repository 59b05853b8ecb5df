package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.PUSH_TOKEN;
import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.pushImage;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** With a push token (the test profile's) and no pull token: anonymous pull, authenticated push. */
@QuarkusTest
class AuthTest {
    private static final String CHALLENGE = "Basic realm=\"skiff-function-store\"";

    @Test
    void anonymousPushIsRefusedWithTheChallengeAndStoresNothing() {
        String repository = uniqueRepository("auth");

        given().contentType("application/octet-stream").body(bytes("anonymous")).queryParam("digest", sha256("anonymous"))
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(401)
                .header("WWW-Authenticate", CHALLENGE)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .body("errors[0].code", equalTo("UNAUTHORIZED"));

        asPusher().when().head("/v2/" + repository + "/blobs/" + sha256("anonymous")).then().statusCode(404);
    }

    @Test
    void wrongTokenIsRefusedLikeNone() {
        given().auth().preemptive().basic("skiff", PUSH_TOKEN + "x")
                .when().post("/v2/" + uniqueRepository("auth") + "/blobs/uploads/")
                .then().statusCode(401).header("WWW-Authenticate", CHALLENGE)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer wrong")
                .when().post("/v2/" + uniqueRepository("auth") + "/blobs/uploads/")
                .then().statusCode(401);
    }

    @Test
    void basicCredentialsWithAnyUserAndTheTokenPush() {
        String repository = uniqueRepository("auth");

        given().auth().preemptive().basic("whoever", PUSH_TOKEN)
                .contentType("application/octet-stream").body(bytes("basic")).queryParam("digest", sha256("basic"))
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201);
    }

    @Test
    void everyWriteNeedsTheToken() {
        String repository = uniqueRepository("auth");
        String digest = pushImage(repository, "v1", "config", "layer");
        String session = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");

        given().delete("/v2/" + repository + "/manifests/" + digest).then().statusCode(401);
        given().delete("/v2/" + repository + "/manifests/v1").then().statusCode(401);
        given().delete("/v2/" + repository + "/blobs/" + sha256("layer")).then().statusCode(401);
        given().contentType("application/vnd.oci.image.manifest.v1+json").body("{}")
                .put("/v2/" + repository + "/manifests/v2").then().statusCode(401);
        given().get(session).then().statusCode(401);
        given().contentType("application/octet-stream").body(bytes("x")).patch(session).then().statusCode(401);
        given().delete(session).then().statusCode(401);

        asPusher().get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        asPusher().get(session).then().statusCode(204);
    }

    @Test
    void pullIsAnonymous() {
        String repository = uniqueRepository("auth");
        String digest = pushImage(repository, "v1", "config", "layer");

        given().get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        given().head("/v2/" + repository + "/manifests/" + digest).then().statusCode(200);
        given().get("/v2/" + repository + "/blobs/" + sha256("layer")).then().statusCode(200).body(equalTo("layer"));
        given().get("/v2/" + repository + "/tags/list").then().statusCode(200);
        given().get("/v2/" + repository + "/referrers/" + digest).then().statusCode(200);
        given().get("/v2/_catalog").then().statusCode(200).body("repositories", hasItem(repository));
    }

    @Test
    void pingAsksForCredentialsSoClientsLearnTheScheme() {
        given().get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", CHALLENGE)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().auth().preemptive().basic("skiff", PUSH_TOKEN).get("/v2/").then().statusCode(200);
    }

    @Test
    void adminNeedsThePushTokenAndAnswersInProblemJson() {
        given().post("/admin/gc").then().statusCode(401)
                .header("WWW-Authenticate", CHALLENGE)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
        asPusher().post("/admin/gc").then().statusCode(200);
    }

    @Test
    void healthAndMetricsNeedNoCredentials() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(not(org.hamcrest.Matchers.containsString(PUSH_TOKEN)));
    }
}
