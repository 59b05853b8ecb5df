package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.pushBlob;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Range requests on blobs (RFC 9110): one range per request, 206 with Content-Range, 416 beyond the end. */
@QuarkusTest
class BlobRangeTest {
    private static final String CONTENT = "0123456789";

    private static String blobPath() {
        String repository = uniqueRepository("ranges");
        return "/v2/" + repository + "/blobs/" + pushBlob(repository, CONTENT);
    }

    @Test
    void blobAnswersAdvertiseByteRanges() {
        String path = blobPath();
        given().head(path).then().statusCode(200).header("Accept-Ranges", "bytes");
        given().get(path).then().statusCode(200).header("Accept-Ranges", "bytes");
    }

    @Test
    void firstToLastIsServedAsPartialContent() {
        given().header("Range", "bytes=2-5").when().get(blobPath())
                .then().statusCode(206)
                .header("Content-Range", "bytes 2-5/10")
                .header("Content-Length", "4")
                .body(equalTo("2345"));
    }

    @Test
    void openEndedRangeRunsToTheEnd() {
        given().header("Range", "bytes=7-").when().get(blobPath())
                .then().statusCode(206).header("Content-Range", "bytes 7-9/10").body(equalTo("789"));
    }

    @Test
    void suffixRangeIsTheLastBytes() {
        given().header("Range", "bytes=-3").when().get(blobPath())
                .then().statusCode(206).header("Content-Range", "bytes 7-9/10").body(equalTo("789"));
    }

    @Test
    void lastBeyondTheEndIsClamped() {
        given().header("Range", "bytes=8-100").when().get(blobPath())
                .then().statusCode(206).header("Content-Range", "bytes 8-9/10").body(equalTo("89"));
    }

    @Test
    void rangeStartingBeyondTheEndIs416WithTheSize() {
        String path = blobPath();
        for (String range : new String[] {"bytes=10-", "bytes=10-20", "bytes=-0"}) {
            given().header("Range", range).when().get(path)
                    .then().statusCode(416)
                    .header("Content-Range", "bytes */10")
                    .body("errors[0].code", equalTo("RANGE_INVALID"));
        }
    }

    @Test
    void severalRangesOrAnotherUnitGetTheWholeBlob() {
        String path = blobPath();
        for (String range : new String[] {"bytes=0-1,4-5", "lines=0-1", "bytes=5-2"}) {
            given().header("Range", range).when().get(path)
                    .then().statusCode(200).header("Content-Length", "10").body(equalTo(CONTENT));
        }
    }

    @Test
    void rangeOfABlobTheRepositoryLacksIsBlobUnknown() {
        String repository = uniqueRepository("ranges");
        String digest = pushBlob(repository, CONTENT);
        asPusher().header("Range", "bytes=0-1").when().get("/v2/" + uniqueRepository("ranges") + "/blobs/" + digest)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }
}
