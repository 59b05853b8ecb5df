package dev.skiff.store.api;

import static dev.skiff.store.api.AuthProfiles.PULL_TOKEN;
import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.imageManifest;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.contracts.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every error code of the OCI Distribution Specification the store answers, each reached by a
 * real bad request, with its status. The profile sets a pull token (for DENIED) and a small
 * limit of open upload sessions (for TOO_MANY_REQUESTS).
 */
@QuarkusTest
@TestProfile(OciErrorCodesTest.PullTokenAndFewSessions.class)
class OciErrorCodesTest {
    private static final int MAX_SESSIONS = 4;
    private static final String OCTETS = "application/octet-stream";

    public static class PullTokenAndFewSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("skiff.store.auth.pull-token", PULL_TOKEN,
                    "skiff.store.upload-max-sessions", String.valueOf(MAX_SESSIONS));
        }
    }

    private static void assertError(Response response, int status, String code) {
        response.then().statusCode(status).contentType("application/json").body("errors[0].code", equalTo(code));
    }

    private static String openSession(String repository) {
        return asPusher().post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
    }

    @Test
    void unknownBlobIsBlobUnknown() {
        assertError(asPusher().get("/v2/" + uniqueRepository("codes") + "/blobs/" + sha256("never pushed")), 404, "BLOB_UNKNOWN");
    }

    @Test
    void chunkOutOfOrderIsBlobUploadInvalid() {
        String session = openSession(uniqueRepository("codes"));
        assertError(asPusher().contentType(OCTETS).header("Content-Range", "5-7").body(bytes("abc")).patch(session),
                416, "BLOB_UPLOAD_INVALID");
        asPusher().delete(session).then().statusCode(204);
    }

    @Test
    void unknownUploadSessionIsBlobUploadUnknown() {
        assertError(asPusher().get("/v2/" + uniqueRepository("codes") + "/blobs/uploads/00000000-0000-0000-0000-000000000000"),
                404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void wrongDigestIsDigestInvalid() {
        assertError(asPusher().contentType(OCTETS).body(bytes("content")).queryParam("digest", sha256("other content"))
                .post("/v2/" + uniqueRepository("codes") + "/blobs/uploads/"), 400, "DIGEST_INVALID");
    }

    @Test
    void wrongSizeIsSizeInvalid() {
        String session = openSession(uniqueRepository("codes"));
        assertError(asPusher().contentType(OCTETS).header("Content-Range", "0-9").body(bytes("5 byt")).patch(session),
                400, "SIZE_INVALID");
        asPusher().delete(session).then().statusCode(204);
    }

    @Test
    void manifestWithMissingBlobIsManifestBlobUnknown() {
        String repository = uniqueRepository("codes");
        pushBlob(repository, "config");
        assertError(asPusher().contentType(MediaTypes.OCI_MANIFEST).body(bytes(imageManifest("config", "missing layer")))
                .put("/v2/" + repository + "/manifests/v1"), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void malformedManifestIsManifestInvalid() {
        assertError(asPusher().contentType(MediaTypes.OCI_MANIFEST).body("{\"schemaVersion\":2,")
                .put("/v2/" + uniqueRepository("codes") + "/manifests/v1"), 400, "MANIFEST_INVALID");
    }

    @Test
    void unknownManifestIsManifestUnknown() {
        assertError(asPusher().get("/v2/" + uniqueRepository("codes") + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void invalidNameIsNameInvalid() {
        assertError(asPusher().get("/v2/Not_Valid/manifests/v1"), 400, "NAME_INVALID");
    }

    @Test
    void tagsOfAnUnknownRepositoryAreNameUnknown() {
        assertError(asPusher().get("/v2/" + uniqueRepository("codes") + "/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void pushWithoutCredentialsIsUnauthorized() {
        assertError(given().contentType(OCTETS).body(bytes("x")).queryParam("digest", sha256("x"))
                .post("/v2/" + uniqueRepository("codes") + "/blobs/uploads/"), 401, "UNAUTHORIZED");
    }

    @Test
    void pushWithThePullTokenIsDenied() {
        assertError(given().header("Authorization", "Bearer " + PULL_TOKEN).contentType(OCTETS).body(bytes("x"))
                .queryParam("digest", sha256("x")).post("/v2/" + uniqueRepository("codes") + "/blobs/uploads/"), 403, "DENIED");
    }

    @Test
    void unsupportedMethodIsUnsupported() {
        assertError(asPusher().patch("/v2/" + uniqueRepository("codes") + "/manifests/v1"), 405, "UNSUPPORTED");
    }

    @Test
    void rangeBeyondTheBlobIsRangeInvalid() {
        String repository = uniqueRepository("codes");
        String digest = pushBlob(repository, "short");
        assertError(asPusher().header("Range", "bytes=100-").get("/v2/" + repository + "/blobs/" + digest), 416, "RANGE_INVALID");
    }

    @Test
    void sessionBeyondTheLimitIsTooManyRequests() {
        String repository = uniqueRepository("codes");
        List<String> opened = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i <= MAX_SESSIONS && refused == null; i++) {
            Response response = asPusher().post("/v2/" + repository + "/blobs/uploads/");
            if (response.statusCode() == 202) {
                opened.add(response.header("Location"));
            } else {
                refused = response;
            }
        }
        assertTrue(refused != null, "no session was refused after " + opened.size());
        assertError(refused, 429, "TOO_MANY_REQUESTS");
        assertError(asPusher().contentType(OCTETS).body(bytes("y")).queryParam("digest", sha256("y"))
                .post("/v2/" + repository + "/blobs/uploads/"), 429, "TOO_MANY_REQUESTS");

        asPusher().delete(opened.get(0)).then().statusCode(204);
        asPusher().contentType(OCTETS).body(bytes("y")).queryParam("digest", sha256("y"))
                .post("/v2/" + repository + "/blobs/uploads/").then().statusCode(201);
        opened.subList(1, opened.size()).forEach(session -> asPusher().delete(session).then().statusCode(204));
    }
}
