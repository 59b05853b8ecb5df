package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.sha256;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BlobResourceTest {

    @Test
    void headReportsSizeDigestAndTypeWithoutBody() {
        String repository = uniqueRepository("blobs");
        String digest = pushBlob(repository, "twelve bytes");

        asPusher().when().head("/v2/" + repository + "/blobs/" + digest)
                .then().statusCode(200)
                .header("Content-Length", "12")
                .header("Docker-Content-Digest", digest)
                .header("Content-Type", "application/octet-stream");
    }

    @Test
    void getStreamsTheExactBytes() {
        String repository = uniqueRepository("blobs");
        String digest = pushBlob(repository, "the content");

        asPusher().when().get("/v2/" + repository + "/blobs/" + digest)
                .then().statusCode(200)
                .header("Content-Length", "11")
                .header("Docker-Content-Digest", digest)
                .body(equalTo("the content"));
    }

    @Test
    void unknownBlobIs404BlobUnknown() {
        String repository = uniqueRepository("blobs");
        asPusher().when().get("/v2/" + repository + "/blobs/" + sha256("never pushed"))
                .then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"))
                .body("errors[0].detail.digest", equalTo(sha256("never pushed")));
        asPusher().when().head("/v2/" + repository + "/blobs/" + sha256("never pushed"))
                .then().statusCode(404);
    }

    @Test
    void blobPushedToAnotherRepositoryIsNotVisible() {
        String digest = pushBlob(uniqueRepository("blobs"), "private to its repository");

        asPusher().when().get("/v2/" + uniqueRepository("blobs") + "/blobs/" + digest)
                .then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }

    @Test
    void deletedBlobIsGoneFromTheRepository() {
        String repository = uniqueRepository("blobs");
        String digest = pushBlob(repository, "to be deleted");

        asPusher().when().delete("/v2/" + repository + "/blobs/" + digest).then().statusCode(202);

        asPusher().when().head("/v2/" + repository + "/blobs/" + digest).then().statusCode(404);
        asPusher().when().delete("/v2/" + repository + "/blobs/" + digest)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }

    @Test
    void malformedOrUnsupportedDigestIs400DigestInvalid() {
        String repository = uniqueRepository("blobs");
        for (String digest : new String[] {"sha256:abc", "sha256:" + "A".repeat(64), "md5:d41d8cd98f00b204e9800998ecf8427e",
                "nodigest"}) {
            asPusher().when().get("/v2/" + repository + "/blobs/" + digest)
                    .then().statusCode(400)
                    .body("errors[0].code", equalTo("DIGEST_INVALID"));
        }
    }
}
