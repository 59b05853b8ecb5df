package dev.skiff.store.api;

import static dev.skiff.store.api.AuthProfiles.PULL_TOKEN;
import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.pushImage;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With a pull token configured: every read needs it (or the push token); it cannot push. */
@QuarkusTest
@TestProfile(AuthProfiles.PullToken.class)
class PullTokenTest {

    private static RequestSpecification asPuller() {
        return given().header("Authorization", "Bearer " + PULL_TOKEN);
    }

    @Test
    void everyReadNeedsAToken() {
        String repository = uniqueRepository("pull");
        String digest = pushImage(repository, "v1", "config", "layer");
        List<String> reads = List.of("/v2/" + repository + "/manifests/v1", "/v2/" + repository + "/blobs/" + sha256("layer"),
                "/v2/" + repository + "/tags/list", "/v2/" + repository + "/referrers/" + digest, "/v2/_catalog", "/v2/");

        for (String path : reads) {
            given().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", "Basic realm=\"skiff-function-store\"")
                    .body("errors[0].code", equalTo("UNAUTHORIZED"));
            given().head(path).then().statusCode(401);
            asPuller().get(path).then().statusCode(200);
            given().auth().preemptive().basic("node", PULL_TOKEN).head(path).then().statusCode(200);
            asPusher().get(path).then().statusCode(200);
        }
    }

    @Test
    void pullTokenCannotPushOrDelete() {
        String repository = uniqueRepository("pull");
        String digest = pushImage(repository, "v1", "config", "layer");

        asPuller().contentType("application/octet-stream").body(bytes("nope")).queryParam("digest", sha256("nope"))
                .post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"));
        asPuller().delete("/v2/" + repository + "/manifests/" + digest)
                .then().statusCode(403).body("errors[0].code", equalTo("DENIED"));
        asPuller().post("/admin/gc").then().statusCode(403);

        asPuller().get("/v2/" + repository + "/manifests/" + digest).then().statusCode(200);
    }
}
