package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.PUSH_TOKEN;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Without a push token nothing can be written, whatever a client sends; reading stays anonymous. */
@QuarkusTest
@TestProfile(AuthProfiles.NoPushToken.class)
class NoPushTokenTest {

    @Test
    void everyPushIsRefused() {
        for (String token : new String[] {null, PUSH_TOKEN, ""}) {
            var request = token == null ? given() : given().header("Authorization", "Bearer " + token);
            request.contentType("application/octet-stream").body(bytes("x")).queryParam("digest", sha256("x"))
                    .post("/v2/" + uniqueRepository("readonly") + "/blobs/uploads/")
                    .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        }
    }

    @Test
    void pingAndPullNeedNoCredentials() {
        given().get("/v2/").then().statusCode(200);
        given().get("/v2/_catalog").then().statusCode(200);
        given().get("/v2/" + uniqueRepository("readonly") + "/tags/list")
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }
}
