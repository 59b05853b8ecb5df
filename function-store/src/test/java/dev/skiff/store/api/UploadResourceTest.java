package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.bytes;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.DigestAlgorithm;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UploadResourceTest {
    private static final String OCTETS = "application/octet-stream";

    @Test
    void monolithicPostWithDigestStoresTheBlob() {
        String repository = uniqueRepository("uploads");
        String digest = sha256("monolithic");

        asPusher().contentType(OCTETS).body(bytes("monolithic")).queryParam("digest", digest)
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201)
                .header("Location", "/v2/" + repository + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);

        asPusher().when().get("/v2/" + repository + "/blobs/" + digest).then().statusCode(200).body(equalTo("monolithic"));
    }

    @Test
    void postOpensASessionThatPutCompletes() {
        String repository = uniqueRepository("uploads");
        Response started = asPusher().when().post("/v2/" + repository + "/blobs/uploads/");
        started.then().statusCode(202)
                .header("Location", matchesPattern("/v2/" + repository + "/blobs/uploads/[0-9a-f-]{36}"))
                .header("Docker-Upload-UUID", matchesPattern("[0-9a-f-]{36}"))
                .header("Range", "0-0");
        String digest = sha256("two steps");

        asPusher().contentType(OCTETS).body(bytes("two steps")).queryParam("digest", digest)
                .when().put(started.header("Location"))
                .then().statusCode(201)
                .header("Location", "/v2/" + repository + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);

        asPusher().when().get("/v2/" + repository + "/blobs/" + digest).then().statusCode(200).body(equalTo("two steps"));
        asPusher().when().get(started.header("Location")).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void chunksArePatchedInOrderAndCompletedByPut() {
        String repository = uniqueRepository("uploads");
        String location = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");

        asPusher().contentType(OCTETS).header("Content-Range", "0-4").body(bytes("chunk"))
                .when().patch(location)
                .then().statusCode(202).header("Range", "0-4").header("Location", location);
        asPusher().contentType(OCTETS).header("Content-Range", "5-9").body(bytes("ed up"))
                .when().patch(location)
                .then().statusCode(202).header("Range", "0-9");
        asPusher().when().get(location).then().statusCode(204).header("Range", "0-9");
        String digest = sha256("chunked up!");

        asPusher().contentType(OCTETS).header("Content-Range", "10-10").body(bytes("!")).queryParam("digest", digest)
                .when().put(location)
                .then().statusCode(201).header("Docker-Content-Digest", digest);

        asPusher().when().get("/v2/" + repository + "/blobs/" + digest).then().body(equalTo("chunked up!"));
    }

    @Test
    void outOfOrderChunkIsRefusedWith416AndLeavesTheSessionAsItWas() {
        String repository = uniqueRepository("uploads");
        String location = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");
        asPusher().contentType(OCTETS).header("Content-Range", "0-2").body(bytes("abc")).patch(location)
                .then().statusCode(202);

        asPusher().contentType(OCTETS).header("Content-Range", "5-7").body(bytes("xyz"))
                .when().patch(location)
                .then().statusCode(416).header("Range", "0-2")
                .body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));

        asPusher().when().get(location).then().statusCode(204).header("Range", "0-2");
    }

    @Test
    void chunkShorterThanItsRangeIsSizeInvalidAndNotKept() {
        String repository = uniqueRepository("uploads");
        String location = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");

        asPusher().contentType(OCTETS).header("Content-Range", "0-9").body(bytes("short"))
                .when().patch(location)
                .then().statusCode(400).body("errors[0].code", equalTo("SIZE_INVALID"));

        asPusher().when().get(location).then().statusCode(204).header("Range", "0-0");
    }

    @Test
    void wrongDigestIsRefusedAndNothingBecomesVisible() {
        String repository = uniqueRepository("uploads");
        String claimed = sha256("something else");

        asPusher().contentType(OCTETS).body(bytes("actual content")).queryParam("digest", claimed)
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));

        asPusher().when().head("/v2/" + repository + "/blobs/" + claimed).then().statusCode(404);
        asPusher().when().head("/v2/" + repository + "/blobs/" + sha256("actual content")).then().statusCode(404);
    }

    @Test
    void wrongDigestOnPutDiscardsTheSession() {
        String repository = uniqueRepository("uploads");
        String location = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");

        asPusher().contentType(OCTETS).body(bytes("content")).queryParam("digest", sha256("other"))
                .when().put(location)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));

        asPusher().when().get(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        asPusher().when().head("/v2/" + repository + "/blobs/" + sha256("content")).then().statusCode(404);
    }

    @Test
    void sha512DigestsAreVerifiedToo() {
        String repository = uniqueRepository("uploads");
        String digest = Digest.of(DigestAlgorithm.SHA512, bytes("long hash")).toString();

        asPusher().contentType(OCTETS).body(bytes("long hash")).queryParam("digest", digest)
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201).header("Docker-Content-Digest", digest);

        asPusher().when().get("/v2/" + repository + "/blobs/" + digest).then().statusCode(200).body(equalTo("long hash"));
    }

    @Test
    void putWithoutDigestIsDigestInvalid() {
        String repository = uniqueRepository("uploads");
        String location = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");

        asPusher().contentType(OCTETS).body(bytes("content")).when().put(location)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void cancelledUploadIsGone() {
        String repository = uniqueRepository("uploads");
        String location = asPusher().post("/v2/" + repository + "/blobs/uploads/").header("Location");

        asPusher().when().delete(location).then().statusCode(204);

        asPusher().when().get(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        asPusher().when().delete(location).then().statusCode(404);
    }

    @Test
    void sessionCannotBeUsedThroughAnotherRepository() {
        String location = asPusher().post("/v2/" + uniqueRepository("uploads") + "/blobs/uploads/").header("Location");
        String uuid = location.substring(location.lastIndexOf('/') + 1);

        asPusher().when().get("/v2/" + uniqueRepository("uploads") + "/blobs/uploads/" + uuid)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void malformedUploadIdIsBlobUploadUnknown() {
        asPusher().when().get("/v2/" + uniqueRepository("uploads") + "/blobs/uploads/not-a-uuid")
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void mountOfABlobAnotherRepositoryHoldsLinksItWithoutUpload() {
        String from = uniqueRepository("uploads");
        String digest = pushBlob(from, "shared layer");
        String repository = uniqueRepository("uploads");

        asPusher().queryParam("mount", digest).queryParam("from", from)
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201)
                .header("Location", "/v2/" + repository + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);

        asPusher().when().get("/v2/" + repository + "/blobs/" + digest).then().statusCode(200).body(equalTo("shared layer"));
    }

    @Test
    void mountOfAnUnknownBlobFallsBackToAnUploadSession() {
        String repository = uniqueRepository("uploads");

        asPusher().queryParam("mount", sha256("nowhere")).queryParam("from", uniqueRepository("uploads"))
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(202)
                .header("Location", containsString("/v2/" + repository + "/blobs/uploads/"));
    }
}
